/**
 * The lessons' `{service}` placeholders: replaced in inline code and code blocks, a bare address made a link,
 * anything that is not a service left as written.
 */
import { describe, expect, it } from 'vitest';
import { remarkAddresses, substitute } from './addresses.ts';

const addresses = { tempo: 'http://127.0.0.1:3200', loki: 'http://127.0.0.1:3100' };

describe('service addresses in Markdown', () => {
  it('replaces known names and leaves selectors and unknown names alone', () => {
    expect(substitute('{tempo}/api/traces/<trace id>', addresses)).toBe('http://127.0.0.1:3200/api/traces/<trace id>');
    expect(substitute('{service_name="shop"} | json', addresses)).toBe('{service_name="shop"} | json');
    expect(substitute('{job} {nosuch}', addresses)).toBe('{job} {nosuch}');
  });

  it('substitutes in inline code and code blocks, and links an inline address outside links', () => {
    const tree = {
      type: 'root',
      children: [
        { type: 'paragraph', children: [{ type: 'text', value: 'Open ' }, { type: 'inlineCode', value: '{tempo}/api/traces/abc' }, { type: 'inlineCode', value: 'curl {loki}/ready' }] },
        { type: 'code', value: 'curl -s {loki}/loki/api/v1/labels' },
        { type: 'link', url: 'x', children: [{ type: 'inlineCode', value: '{tempo}' }] },
      ],
    };
    remarkAddresses({ addresses })(tree);
    expect(tree.children[0]!.children![1]).toEqual({ type: 'link', url: 'http://127.0.0.1:3200/api/traces/abc', children: [{ type: 'inlineCode', value: 'http://127.0.0.1:3200/api/traces/abc' }] });
    expect(tree.children[0]!.children![2]).toEqual({ type: 'inlineCode', value: 'curl http://127.0.0.1:3100/ready' });
    expect(tree.children[1]).toEqual({ type: 'code', value: 'curl -s http://127.0.0.1:3100/loki/api/v1/labels' });
    expect(tree.children[2]!.children![0]).toEqual({ type: 'inlineCode', value: 'http://127.0.0.1:3200' });
  });
});
