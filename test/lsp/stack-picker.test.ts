/**
 * The deployed-stack picker's items: the stacks in the server's order, with their state, when they
 * were updated and how many of the template's resources they hold, the current one checked, and an
 * item that clears the choice.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { stackPicks } from '../../client/src/stack-model';

describe('stack picker items', () => {
  it('lists the stacks as sent, marks the current one, and ends with None', () => {
    const picks = stackPicks({
      enabled: true,
      current: 'app-dev',
      stacks: [
        { name: 'app-prod', status: 'UPDATE_COMPLETE', updated: '2026-12-01T10:00:00.000Z', matched: 3, of: 4 },
        { name: 'app-dev', status: 'CREATE_COMPLETE', matched: 0, of: 0 },
      ],
    });
    assert.deepEqual(picks, [
      { label: 'app-prod', description: 'UPDATE_COMPLETE, updated 2026-12-01 10:00 UTC', detail: "3 of the template's 4 resources are in this stack", stack: 'app-prod' },
      { label: '$(check) app-dev', description: 'CREATE_COMPLETE', stack: 'app-dev' },
      { label: 'None', description: 'use the samconfig or Serverless stack name, if any', stack: null },
    ]);
  });
});
