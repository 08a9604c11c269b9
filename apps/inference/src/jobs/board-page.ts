/**
 * bull-board 9.10's page (index.ejs) links its IBM Plex fonts from fonts.googleapis.com: offline the page
 * waits on a host it cannot reach, and online every visit tells Google who opened the dashboard. Stylesheet
 * links to another host are dropped; the page's CSS falls back to the browser's sans-serif and monospace.
 */
export function withoutRemoteLinks(html: string): string {
  return html.replace(/<link\b[^>]*\bhref=["']?(?:https?:)?\/\/[^>]*>/gi, '');
}
