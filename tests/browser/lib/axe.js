// axe-core inside the page. Injected with page.evaluate (the DevTools
// protocol), which the page's Content-Security-Policy does not govern, so the
// page keeps running under its own CSP as a reader's browser would.
import fs from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const AXE_SOURCE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

// Returns the violations, each with the nodes that fail, plus `summary`: one
// readable line per failing node, for assertion messages.
export async function runAxe(page) {
  await page.evaluate(AXE_SOURCE);
  const violations = await page.evaluate(async (tags) => {
    const r = await window.axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
    return r.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => ({ target: n.target.join(' '), html: n.html.slice(0, 200) })),
    }));
  }, AXE_TAGS);
  return { violations, summary: summarize(violations) };
}

export function summarize(violations) {
  const lines = [];
  for (const v of violations) {
    for (const n of v.nodes.slice(0, 5)) lines.push(`axe ${v.id} (${v.impact}): ${v.help} at \`${n.target}\`: ${n.html}`);
    if (v.nodes.length > 5) lines.push(`axe ${v.id}: ... and ${v.nodes.length - 5} more nodes`);
  }
  return lines;
}
