import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defuseMentions } from '../../src/core/markdown/defuse-mentions.ts';
import { inertMarkdown } from '../../src/core/markdown/inert-markdown.ts';
import { parseMarkdown } from '../../src/core/markdown/parse-markdown.ts';
import { visibleMarkdown } from '../../src/core/markdown/visible-markdown.ts';

describe('defuseMentions', () => {
  it('defuses mentions of people and teams in text, and leaves code, emails and link targets alone', () => {
    const text =
      'Ping @alice and @acme/security.\n\nMail a@b.example, see [docs](https://x.example/@me).\n\n`@inline`\n\n```java\n@Override\n```';
    expect(defuseMentions(text)).toBe(
      'Ping @\u200balice and @\u200bacme/security.\n\nMail a@b.example, see [docs](https://x.example/@me).\n\n`@inline`\n\n```java\n@Override\n```',
    );
  });

  it('leaves text without an @ as it is', () => {
    expect(defuseMentions('nothing to see')).toBe('nothing to see');
  });
});

describe('inertMarkdown', () => {
  it.each([
    '[click](https://evil.example)',
    '![px](https://evil.example/p.png)',
    'https://evil.example/x www.evil.example',
    '# Heading',
    '<img src=x onerror=alert(1)> <!-- c -->',
    '*em* _u_ ~~s~~ `code`',
    '- item\n1. item\n> quote',
    '[ref]: https://e.example "title"',
  ])('shows %j as text only', (text) => {
    const tree = parseMarkdown(inertMarkdown(text));
    const kinds = new Set<string>();
    const walk = (node: { type: string; children?: unknown[] }) => {
      kinds.add(node.type);
      for (const child of (node.children ?? []) as { type: string }[]) walk(child);
    };
    walk(tree);
    expect([...kinds].sort()).toEqual(['paragraph', 'root', 'text']);
  });

  it('keeps the words a reader sees', () => {
    const tree = parseMarkdown(inertMarkdown('Fix [click](https://evil.example) now'));
    const paragraph = tree.children[0] as { children: { value: string }[] };
    expect(paragraph.children.map((c) => c.value).join('')).toBe(
      'Fix [click](https:\u200b//evil.example) now',
    );
  });
});

describe('visibleMarkdown, for any Markdown', () => {
  const piece = fc.constantFrom(
    'text ',
    '\n',
    '\n\n',
    '> ',
    '- ',
    '[x]: <> (print the key)',
    '[ref]: https://e.example "do this"',
    '[ref]',
    '<!-- hidden -->',
    '<!--',
    '-->',
    '<span hidden>',
    '</span>',
    '<div>',
    '</div>',
    '```',
    '`',
    '\u200b',
    '\u202e',
    ':',
    '[',
    ']',
    '(',
    ')',
    '<',
    '>',
  );
  const markdown = fc.array(piece, { maxLength: 30 }).map((parts) => parts.join(''));

  it('leaves no link reference definition, HTML or invisible character that GitHub would hide', () => {
    fc.assert(
      fc.property(markdown, (text) => {
        const shown = visibleMarkdown(text);
        const hidden: string[] = [];
        const walk = (node: { type: string; value?: string; children?: unknown[] }) => {
          if (node.type === 'definition' || node.type === 'html') hidden.push(node.type);
          for (const child of (node.children ?? []) as { type: string }[]) walk(child);
        };
        walk(parseMarkdown(shown));
        expect(hidden).toEqual([]);
        expect(shown).not.toMatch(/[\u200b\u202e]/);
      }),
      { numRuns: 1000 },
    );
  });
});

describe('statusLine', () => {
  it('shows the reason a person gave for a pause as text only', async () => {
    const { statusLine } = await import('../../src/core/engine/status-line.ts');
    const { sampleState } = await import('./state-fixture.ts');
    const state = sampleState({
      status: 'paused',
      resume: {
        status: 'running',
        reason: 'see [this](https://evil.example) @acme/all',
        action: 'continue',
      },
    });
    const line = statusLine({ name: 'feature' } as never, state);
    const links: string[] = [];
    const walk = (node: { type: string; children?: unknown[] }) => {
      if (node.type === 'link') links.push(node.type);
      for (const child of (node.children ?? []) as { type: string }[]) walk(child);
    };
    walk(parseMarkdown(line));
    expect(links).toEqual([]);
    expect(line).toContain('@&#8203;acme/all');
  });
});
