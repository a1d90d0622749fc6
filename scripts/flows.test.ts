/**
 * docs/flows.md is a map a newcomer trusts, so it must not drift from the code: every file it
 * names exists, every function or name it points to occurs in the file of its step (the first one
 * is declared there), and no flow asks for more than six files.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const MAX_FILES_PER_FLOW = 6;

const tracked = execFileSync('git', ['ls-files'], { cwd: root, encoding: 'utf8' })
  .split('\n')
  .filter(Boolean);
const read = (file: string) => readFileSync(path.join(root, file), 'utf8');

export interface FlowStep {
  file: string;
  names: string[];
  spans: string[];
}

export interface Flow {
  title: string;
  steps: FlowStep[];
}

const codeSpans = (text: string) => [...text.matchAll(/`([^`]+)`/g)].map((m) => m[1]!);
const isPath = (span: string) => span.includes('/') || /\.(ts|vue|md|json|js)$/.test(span);
const isIdentifier = (span: string) => /^[A-Za-z_$][\w$]*$/.test(span);

/** `## n. title` sections, each an ordered list whose items start with the file's code span. */
export function parseFlows(markdown: string): Flow[] {
  const flows: Flow[] = [];
  let current: Flow | null = null;
  let item: string | null = null;
  const endItem = () => {
    if (!current || item === null) return;
    const spans = codeSpans(item);
    const [file = '', ...rest] = spans;
    current.steps.push({ file, names: rest.filter(isIdentifier), spans: rest });
    item = null;
  };
  for (const line of markdown.split('\n')) {
    const heading = /^## \d+\. (.+)$/.exec(line);
    if (heading) {
      endItem();
      current = { title: heading[1]!, steps: [] };
      flows.push(current);
      continue;
    }
    if (!current) continue;
    if (/^\d+\. /.test(line)) {
      endItem();
      item = line;
    } else if (item !== null && /^\s+\S/.test(line)) {
      item += ` ${line.trim()}`;
    } else if (line.trim() === '' || line.startsWith('#')) {
      endItem();
    }
  }
  endItem();
  return flows;
}

/** Declared in `source` as a function, variable, class or type. */
const declares = (source: string, name: string) =>
  new RegExp(`(?:function\\*?|const|let|var|class|interface|type|enum)\\s+${name}(?![\\w$])`).test(source);
const mentions = (source: string, name: string) =>
  new RegExp(`(?<![\\w$])${name.replace('$', '\\$')}(?![\\w$])`).test(source);

const markdown = read('docs/flows.md');
const flows = parseFlows(markdown);

describe('docs/flows.md', () => {
  it('is linked from the README', () => {
    expect(read('README.md')).toContain('(docs/flows.md)');
  });

  it('maps the five flows of a newcomer', () => {
    expect(flows.map((f) => f.title)).toHaveLength(5);
    for (const flow of flows) expect(flow.steps.length, flow.title).toBeGreaterThan(0);
  });

  it.each(flows.map((f) => [f.title, f] as const))(
    '%s: at most six files, each of them there',
    (_t, flow) => {
      const files = new Set(flow.steps.map((s) => s.file));
      expect(files.size).toBeLessThanOrEqual(MAX_FILES_PER_FLOW);
      for (const file of files)
        expect(existsSync(path.join(root, file)), `${flow.title}: ${file}`).toBe(true);
    },
  );

  it.each(flows.map((f) => [f.title, f] as const))('%s: every name is in its step file', (_t, flow) => {
    for (const step of flow.steps) {
      const source = read(step.file);
      const [main, ...others] = step.names;
      expect(main, `${step.file} names no function`).toBeDefined();
      expect(declares(source, main!), `${main} is declared in ${step.file}`).toBe(true);
      for (const name of others) expect(mentions(source, name), `${name} in ${step.file}`).toBe(true);
    }
  });

  it('names only files that exist', () => {
    const paths = codeSpans(markdown).filter(isPath);
    expect(paths.length).toBeGreaterThan(0);
    for (const p of paths) {
      const found = existsSync(path.join(root, p)) || tracked.some((f) => f.endsWith(`/${p}`));
      expect(found, p).toBe(true);
    }
  });
});

describe('parseFlows', () => {
  it('reads a step that runs over several lines, and a name that is not declared is caught', () => {
    const [flow] = parseFlows(
      '## 1. A flow\n\n1. `a/b.ts` — `first`, `second`: text\n   more `third`\n2. `c.ts` — `x`\n',
    );
    expect(flow!.steps).toEqual([
      { file: 'a/b.ts', names: ['first', 'second', 'third'], spans: ['first', 'second', 'third'] },
      { file: 'c.ts', names: ['x'], spans: ['x'] },
    ]);
    expect(declares('export async function first() {}', 'first')).toBe(true);
    expect(declares('first();', 'first')).toBe(false);
    expect(mentions('firstly()', 'first')).toBe(false);
  });
});
