/**
 * Audit IDs made by the server (runtime/audit/audit-id.ts) keep the form of upstream's, a version 4 UUID, and are
 * never repeated.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { newAuditID } from '../../runtime/audit/audit-id.ts';

test('audit IDs are distinct version 4 UUIDs', () => {
  const seen = new Set<string>();
  for (let i = 0; i < 100_000; i++) {
    const id = newAuditID();
    assert.match(id, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    seen.add(id);
  }
  assert.equal(seen.size, 100_000);
});
