/** Fill {{name}} placeholders with input values (placeholders are checked against the inputs when the definition is validated). */
export function renderTemplate(template: string, values: Record<string, string>): string {
  return template.replace(/\{\{\s*([^}]*?)\s*\}\}/g, (_, name: string) => values[name] ?? '');
}
