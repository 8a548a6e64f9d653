/** What `npm run deploy` would apply to CloudBase, checked against the declarations. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { collections } from '../../database/collections';
import { FUNCTIONS_DIR, listFunctions } from '../../local/runtime-paths';
import { databasePlan, functionPlan } from '../../scripts/deploy';

it('applies every declared collection with its indexes (unique ones unique) and a deny-write rule', () => {
  const plan = databasePlan();
  expect(plan.map((c) => c.collection)).toEqual(collections.map((c) => c.name));
  for (const decl of collections) {
    const entry = plan.find((c) => c.collection === decl.name)!;
    expect(entry.indexes.map((i) => i.IndexName)).toEqual(decl.indexes.map((i) => i.name));
    expect(entry.indexes.map((i) => i.MgoKeySchema.MgoIsUnique)).toEqual(decl.indexes.map((i) => !!i.unique));
    expect(JSON.parse(entry.securityRule).write).toBe(false);
  }
});

it('deploys every function with its triggers and the signing key as an environment variable', () => {
  const plan = functionPlan('k'.repeat(40));
  expect(plan.map((f) => f.name)).toEqual(listFunctions());
  for (const fn of plan) {
    const config = JSON.parse(readFileSync(path.join(FUNCTIONS_DIR, fn.name, 'config.json'), 'utf8'));
    expect(fn.triggers).toEqual(config.triggers ?? []);
    expect(fn.envVariables.PRIVDOM_SIGNING_KEY).toHaveLength(40);
    expect(fn.handler).toBe('index.main');
    const pkg = JSON.parse(readFileSync(path.join(FUNCTIONS_DIR, fn.name, 'package.json'), 'utf8'));
    expect(pkg.dependencies['wx-server-sdk']).toBeDefined();
  }
});
