import { describe, expect, it } from 'vitest';
import { liquid } from '../../src/core/template.ts';

describe('the template engine', () => {
  it('renders the documented context', () => {
    expect(liquid.parseAndRenderSync('Plan {{ subject.title }}', { subject: { title: 'Dark mode' } })).toBe(
      'Plan Dark mode',
    );
  });

  describe('asked to read a file', () => {
    it.each(['{% include "package.json" %}', '{% render "package.json" %}', '{% layout "README.md" %}x'])(
      'refuses %s, whatever files exist',
      (source) => {
        expect(() => liquid.parseAndRenderSync(source)).toThrow(/Failed to lookup|cannot read files/);
      },
    );
  });

  it('cannot reach prototype properties of the context', () => {
    expect(liquid.parseAndRenderSync('[{{ subject.constructor }}]', { subject: {} })).toBe('[]');
  });
});
