/**
 * package.json and the explorer code must agree: every command the code registers is contributed (and the
 * other way round), menus only name contributed commands and context values the tree model really sets,
 * the view exists in an activity-bar container with an icon file, the view activates the extension, and the
 * endpoint setting cannot come from a workspace.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { COMMANDS, CONTEXT, MANAGE_TRUST_COMMAND, OPEN_WALKTHROUGH_COMMAND, VIEW_ID, WELCOME_CONTEXT_KEY } from '../../client/src/eni/tree-model';
import type { WelcomeState } from '../../client/src/eni/tree-model';

const ROOT = resolve(__dirname, '..', '..');

interface Manifest {
  activationEvents: string[];
  contributes: {
    viewsContainers: { activitybar: { id: string; title: string; icon: string }[] };
    views: Record<string, { id: string; icon?: string }[]>;
    commands: { command: string; title: string }[];
    viewsWelcome: { view: string; contents: string; when: string }[];
    walkthroughs: { id: string }[];
    menus: Record<string, { command: string; when?: string; group?: string }[]>;
    configuration: { properties: Record<string, { type: string; default: unknown; scope?: string }> }[];
  };
}

const manifest = JSON.parse(readFileSync(resolve(ROOT, 'package.json'), 'utf8')) as Manifest;
const ours = Object.values(COMMANDS) as string[];

describe('package.json contributions for the ENI explorer', () => {
  it('has welcome content with buttons for each welcome state: untrusted, no region, no credentials', () => {
    const states: WelcomeState[] = ['untrusted', 'noRegion', 'noCredentials'];
    const welcome = manifest.contributes.viewsWelcome.filter((w) => w.view === VIEW_ID);
    assert.deepEqual(welcome.map((w) => w.when), states.map((s) => `${WELCOME_CONTEXT_KEY} == ${s}`));
    const walkthrough = `${(manifest as unknown as { publisher: string }).publisher}.${(manifest as unknown as { name: string }).name}#${manifest.contributes.walkthroughs[0]!.id}`;
    for (const w of welcome) {
      const buttons = [...w.contents.matchAll(/^\[([^\]]+)\]\(command:([^?)]+)(?:\?([^)]*))?\)$/gm)];
      assert.ok(buttons.length >= 2, w.when);
      for (const [, , command, args] of buttons) {
        assert.ok(ours.includes(command!) || command === MANAGE_TRUST_COMMAND || command === OPEN_WALKTHROUGH_COMMAND, command);
        if (command === OPEN_WALKTHROUGH_COMMAND) assert.deepEqual(JSON.parse(decodeURIComponent(args!)), [walkthrough, false]);
      }
      const labels = buttons.map((b) => b[1]);
      assert.ok(labels.includes('Open Walkthrough'), w.when);
      if (w.when.endsWith('noRegion') || w.when.endsWith('noCredentials')) assert.ok(labels.includes('Select Profile') && labels.includes('Select Regions'), w.when);
      assert.doesNotMatch(w.contents, /`/);
    }
  });


  it('declares the view in an activity-bar container with an existing icon, and activates on it', () => {
    const container = manifest.contributes.viewsContainers.activitybar.find((c) => c.title === 'Lambda VPC');
    assert.ok(container);
    assert.ok(existsSync(resolve(ROOT, container.icon)), container.icon);
    assert.ok(manifest.contributes.views[container.id]?.some((v) => v.id === VIEW_ID));
    assert.ok(manifest.activationEvents.includes(`onView:${VIEW_ID}`));
  });

  it('contributes exactly the commands the code registers', () => {
    const declared = manifest.contributes.commands.map((c) => c.command).filter((c) => c.startsWith('lambdaVpcLint.eni.'));
    assert.deepEqual([...declared].sort(), [...ours].sort());
  });

  it('menus name only contributed commands and real context values', () => {
    const contexts = new Set<string>(Object.values(CONTEXT));
    for (const [menu, entries] of Object.entries(manifest.contributes.menus)) {
      for (const entry of entries.filter((e) => ours.includes(e.command))) {
        if (menu === 'commandPalette') continue;
        assert.match(entry.when ?? '', new RegExp(`view == ${VIEW_ID.replace('.', '\\.')}`), `${menu} ${entry.command}`);
        for (const [, value] of (entry.when ?? '').matchAll(/viewItem == (\w+)/g)) assert.ok(contexts.has(value!), value);
        const pattern = /viewItem =~ \/(.+?)\//.exec(entry.when ?? '');
        if (pattern) {
          const re = new RegExp(pattern[1]!);
          assert.ok([...contexts].some((c) => re.test(c)), `${pattern[1]} matches some context value`);
          assert.ok(!re.test(CONTEXT.message) && !re.test(CONTEXT.error), `${pattern[1]} leaves message and error nodes alone`);
        }
      }
    }
    const itemMenu = manifest.contributes.menus['view/item/context'] ?? [];
    assert.ok(itemMenu.some((e) => e.command === COMMANDS.retryRegion && e.when?.includes(`viewItem == ${CONTEXT.error}`)));
  });

  it('declares the settings, with the endpoint machine-scoped and auto-refresh off by default', () => {
    const props = Object.assign({}, ...manifest.contributes.configuration.map((c) => c.properties)) as Manifest['contributes']['configuration'][number]['properties'];
    assert.equal(props['lambdaVpcLint.eni.profile']?.type, 'string');
    assert.equal(props['lambdaVpcLint.eni.regions']?.type, 'array');
    assert.equal(props['lambdaVpcLint.eni.autoRefreshSeconds']?.default, 0);
    assert.ok(['machine', 'application'].includes(props['lambdaVpcLint.aws.endpoint']?.scope ?? ''));
  });
});
