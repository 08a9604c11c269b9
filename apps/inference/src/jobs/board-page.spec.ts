import { readFileSync } from 'fs';
import { withoutRemoteLinks } from './board-page';

describe("bull-board's page without remote links", () => {
  it("drops the Google Fonts stylesheet of bull-board's own index.ejs and keeps its local assets", () => {
    const page = readFileSync(require.resolve('@bull-board/ui/dist/index.ejs'), 'utf8');
    expect(page).toContain('fonts.googleapis.com');
    const served = withoutRemoteLinks(page);
    expect(served).not.toMatch(/https?:\/\//);
    expect(served).toContain('<link href="static/css/');
    expect(served).toContain('<link rel="icon" type="image/svg+xml"');
  });

  it('drops protocol-relative and single-quoted links too', () => {
    expect(withoutRemoteLinks(`<head><link rel='stylesheet' href='//cdn.example/x.css'><link href="a.css" rel="stylesheet"></head>`)).toBe(
      '<head><link href="a.css" rel="stylesheet"></head>',
    );
  });
});
