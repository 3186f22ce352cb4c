/**
 * SQL without its comments and blank lines, for the copy of the migrations
 * the Worker carries (the preview's schema): the comments are for readers of
 * migrations/, and in the bundle they only cost size. Line by line; a `--`
 * inside a single-quoted string is kept.
 */
export function stripSqlComments(sql) {
  const lines = sql.split("\n").map((line) => {
    let quoted = false;
    for (let i = 0; i < line.length; i++) {
      if (line[i] === "'") quoted = !quoted;
      else if (!quoted && line[i] === "-" && line[i + 1] === "-") return line.slice(0, i).trimEnd();
    }
    return line.trimEnd();
  });
  return `${lines.filter((l) => l.trim() !== "").join("\n")}\n`;
}
