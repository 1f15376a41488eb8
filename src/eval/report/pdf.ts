import fs from 'node:fs';

export const CHROMIUM_CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];

/**
 * Print the report with headless Chromium (playwright-core, no browser download).
 * Returns null when it worked, or why not (no Chromium, launch failed) so the caller can say so.
 */
export async function printPdf(htmlFile: string, pdfFile: string, executable = process.env.HIRAGA_CHROMIUM || CHROMIUM_CANDIDATES.find((p) => fs.existsSync(p))): Promise<string | null> {
  if (!executable) return 'no Chromium found (set HIRAGA_CHROMIUM to its path)';
  let chromium: typeof import('playwright-core').chromium;
  try {
    ({ chromium } = await import('playwright-core'));
  } catch (err) {
    return `playwright-core is not installed (${(err as Error).message})`;
  }
  let browser: import('playwright-core').Browser | undefined;
  try {
    browser = await chromium.launch({ executablePath: executable, args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'] });
    const page = await browser.newPage();
    await page.setContent(fs.readFileSync(htmlFile, 'utf8'), { waitUntil: 'load' });
    await page.pdf({ path: pdfFile, format: 'A4', landscape: true, printBackground: true, margin: { top: '10mm', bottom: '10mm', left: '8mm', right: '8mm' } });
    return null;
  } catch (err) {
    return `Chromium could not print the PDF: ${(err as Error).message.split('\n')[0]}`;
  } finally {
    await browser?.close().catch(() => {});
  }
}
