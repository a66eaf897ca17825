import { Liquid } from 'liquidjs';
import { describe, expect, it } from 'vitest';
import { parseMarkdown } from '../../src/core/markdown/parse-markdown.ts';
import { inertCommentContext } from '../../src/reconcile/inert-comment-context.ts';

describe('inertCommentContext', () => {
  it('renders a hostile title in a comment: action as text, with no link, image, HTML or mention', async () => {
    const context = {
      subject: {
        title: '[click](https://evil.example) ![px](https://evil.example/p.png) <img src=x> @acme/all',
        number: 7,
        author: 'alice',
        labels: ['bug'],
      },
      run: { id: 'r-7' },
    };
    const text = await new Liquid().parseAndRender(
      'Done with #{{ subject.number }}: {{ subject.title }}',
      inertCommentContext(context),
    );
    const kinds = new Set<string>();
    const walk = (node: { type: string; children?: unknown[] }) => {
      kinds.add(node.type);
      for (const child of (node.children ?? []) as { type: string }[]) walk(child);
    };
    walk(parseMarkdown(text));
    expect([...kinds].sort()).toEqual(['paragraph', 'root', 'text']);
    expect(text).not.toMatch(/(^|\W)@acme/);
    expect(context.subject.title).toContain('[click]');
  });
});
