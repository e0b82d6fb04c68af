import { readFileSync } from 'node:fs';
import path from 'node:path';
import { startTestApp, type TestApp } from '../helpers/test-app';

/** Each ```graphql block of the README followed by its ```json answer. */
function readmeExamples(): { query: string; answer: unknown }[] {
  const readme = readFileSync(path.resolve(__dirname, '../../README.md'), 'utf8');
  const pattern = /```graphql\n([\s\S]*?)\n```\s*```json\n([\s\S]*?)\n```/g;
  return [...readme.matchAll(pattern)].map((match) => ({ query: match[1], answer: JSON.parse(match[2]) }));
}

describe('README examples', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('shows three example queries', () => {
    expect(readmeExamples()).toHaveLength(3);
  });

  it.each(readmeExamples().map((example, index) => [index + 1, example] as const))(
    'example %i still gives the answer the README shows',
    async (_, example) => {
      const response = await t.query(example.query);
      expect(response.status).toBe(200);
      expect(response.body).toEqual(example.answer);
    },
  );
});
