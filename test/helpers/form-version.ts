/** The version a page's form was based on (its hidden `version` field), sent back as a browser would. */
export function versionIn(body: string, index = 0): string {
  const found = [...body.matchAll(/name="version" value="(\d+)"/g)][index];
  if (!found) throw new Error('the page holds no form with a version');
  return found[1]!;
}
