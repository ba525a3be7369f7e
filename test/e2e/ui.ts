/**
 * What a user sees, checked through the UI: the packaged .vsix installed into code-server with
 * `--install-extension`, the fixture workspace opened in headless Chromium, then
 *
 *   1. the extension is installed and activates (its "Lambda VPC" activity-bar entry appears)
 *   2. the Problems panel lists the vpc-config-incomplete finding of bad.yaml
 *   3. the rule link in the Problems panel opens the rule's page from the extension's files, in the
 *      Markdown preview (no external site)
 *   4. the quick fix, picked from the Ctrl+. menu on the finding, names the VPC's security group and the
 *      finding goes
 *   5. with the EC2 server refusing the credentials, the ENI view shows its welcome content and buttons
 *      (docs/images/eni-welcome.png)
 *   6. the "Lambda VPC" view shows the ENI tree of the loopback EC2 test server (docs/images/eni-explorer.png)
 *   7. the Template Network view of network.yaml marks the zone with no way out (docs/images/network-view.png)
 *   8. in an empty file, completion offers the whole-template snippet, and accepting it writes the template
 *   9. a function whose network cannot be followed gets network-unknown in the Problems panel, and the
 *      status bar item counts it (`VPC: 0/1 checked`)
 *
 * Each step saves a screenshot in test-results/e2e/ (NN-name.png), a failing one NN-name-FAILED.png. Each
 * step is bounded in time; user actions are retried where the workbench may still be settling.
 */
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Ec2TestServer } from '../support/ec2-server';
import { EXPECTED, E2E_ACCESS_KEY_ID } from './ec2-fixture';
import { RESULTS, ROOT, installExtension, launchBrowser, listExtensions, log, makeProfile, startCodeServer, workbenchUrl } from './harness';
import type { Setup } from './harness';
import type { Page } from './playwright-types';

export interface UiCheck {
  name: string;
  ok: boolean;
  detail?: string;
  ms: number;
}

const EXTENSION_ID = 'lambda-vpc-lint.lambda-vpc-lint';
const RULE = 'vpc-config-incomplete';
const MOD = 'Control';
const ACTIVITY = '.activitybar .action-item a[aria-label^="Lambda VPC"], .activitybar .action-item .action-label[aria-label^="Lambda VPC"]';
/** The README's images, taken from this run. */
const IMAGES = join(ROOT, 'docs/images');

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Retries `fn` until it stops throwing, or rethrows the last error after `timeoutMs`. */
async function retry<T>(what: string, timeoutMs: number, fn: () => Promise<T>, pauseMs = 1_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let attempt = 0;
  for (;;) {
    attempt += 1;
    try {
      return await fn();
    } catch (err) {
      if (Date.now() + pauseMs > deadline) {
        throw new Error(`${what} (gave up after ${attempt} attempts in ${Math.round(timeoutMs / 1000)} s): ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`);
      }
      await sleep(pauseMs);
    }
  }
}

/** Editor text as rendered (monaco draws spaces as NBSP). */
async function editorText(page: Page): Promise<string> {
  const text = await page.locator('.editor-instance .monaco-editor .view-lines').first().innerText({ timeout: 5_000 });
  return text.replace(/\u00a0/g, ' ');
}

async function problemsText(page: Page): Promise<string> {
  const panel = page.locator('.markers-panel');
  if ((await panel.count()) === 0 || !(await panel.first().isVisible())) return '';
  return (await panel.first().innerText({ timeout: 5_000 })).replace(/\u00a0/g, ' ');
}

async function openFile(page: Page, name: string): Promise<void> {
  await page.keyboard.press(`${MOD}+P`);
  const input = page.locator('.quick-input-widget input');
  await input.first().waitFor({ state: 'visible', timeout: 10_000 });
  await input.first().fill(name);
  await page.locator('.quick-input-widget .monaco-list-row').filter({ hasText: name }).first().waitFor({ state: 'visible', timeout: 10_000 });
  await page.keyboard.press('Enter');
  await page.locator(`.tabs-container .tab[aria-label^="${name}"], .tabs-container .tab:has-text("${name}")`).first().waitFor({ state: 'visible', timeout: 10_000 });
}

/** Runs a command from the command palette: typed as `typed`, the row matching `row` picked. */
async function runCommand(page: Page, typed: string, row: RegExp): Promise<void> {
  await page.keyboard.press(`${MOD}+Shift+P`);
  const input = page.locator('.quick-input-widget input').first();
  await input.waitFor({ state: 'visible', timeout: 10_000 });
  await input.fill(`>${typed}`);
  await page.locator('.quick-input-widget .monaco-list-row').filter({ hasText: row }).first().click({ timeout: 10_000 });
}

/** The view pane of the Lambda VPC container whose header reads `name`. */
function pane(page: Page, name: RegExp) {
  return page.locator('.sidebar .pane').filter({ has: page.locator('.pane-header').filter({ hasText: name }) }).first();
}

async function showLambdaVpc(page: Page): Promise<void> {
  // A click on the entry of the container already shown would close the side bar.
  if (await pane(page, /Lambda ENIs/i).isVisible().catch(() => false)) return;
  await page.locator(ACTIVITY).first().click({ timeout: 5_000 });
  await pane(page, /Lambda ENIs/i).waitFor({ state: 'visible', timeout: 5_000 });
}

async function showProblems(page: Page): Promise<void> {
  if (await page.locator('.markers-panel').first().isVisible().catch(() => false)) return;
  await page.keyboard.press(`${MOD}+Shift+M`);
  await page.locator('.markers-panel').first().waitFor({ state: 'visible', timeout: 10_000 });
}

export async function runUiChecks(setup: Setup, ec2: Ec2TestServer, vsix: string): Promise<UiCheck[]> {
  const checks: UiCheck[] = [];
  const profile = makeProfile('ui', {
    'lambdaVpcLint.aws.endpoint': ec2.url,
    'workbench.colorTheme': 'Default Light Modern',
  });

  const installed = installExtension(setup, profile, vsix);
  log(`installed ${vsix}: ${installed.split('\n').pop()}`);
  const listed = listExtensions(setup, profile);
  log(`extensions in the profile: ${listed.join(', ') || 'none'}`);

  const server = await startCodeServer(setup, profile, { logName: 'ui-code-server', env: { AWS_ACCESS_KEY_ID: E2E_ACCESS_KEY_ID } });
  const { page, blocked, consoleErrors } = await launchBrowser(setup);
  let shot = 0;
  const screenshot = async (name: string) => {
    shot += 1;
    const file = join(RESULTS, `${String(shot).padStart(2, '0')}-${name}.png`);
    await page.screenshot({ path: file }).catch((err: unknown) => log(`screenshot ${file} failed: ${String(err)}`));
    return file;
  };

  let failed = false;
  const step = async (name: string, shotName: string, timeoutMs: number, fn: () => Promise<string | void>) => {
    const t0 = Date.now();
    if (failed && name !== 'ENI explorer shows the loopback account') {
      // A later step that depends on an earlier one still runs, on a best-effort basis: its own result counts.
    }
    try {
      const detail = await Promise.race([
        fn(),
        sleep(timeoutMs).then(() => {
          throw new Error(`step timed out after ${timeoutMs / 1000} s`);
        }),
      ]);
      const file = await screenshot(shotName);
      checks.push({ name: `ui: ${name}`, ok: true, detail: `${detail ? `${detail}; ` : ''}${file.slice(RESULTS.length + 1)}`, ms: Date.now() - t0 });
      log(`ui: PASS ${name}`);
    } catch (err) {
      failed = true;
      const file = await screenshot(`${shotName}-FAILED`);
      const message = err instanceof Error ? err.message : String(err);
      checks.push({ name: `ui: ${name}`, ok: false, detail: `${message.split('\n')[0]}; ${file.slice(RESULTS.length + 1)}`, ms: Date.now() - t0 });
      log(`ui: FAIL ${name}: ${message}`);
      // Escape whatever menu or widget the failure left open.
      await page.keyboard.press('Escape').catch(() => undefined);
    }
  };

  try {
    await step('extension installed and activated in the workbench', 'workbench', 150_000, async () => {
      if (!listed.some((l) => l.toLowerCase().startsWith(`${EXTENSION_ID}@`))) throw new Error(`--list-extensions does not show ${EXTENSION_ID}: ${listed.join(', ')}`);
      await page.goto(workbenchUrl(server, profile.workspace), { timeout: 60_000 });
      await page.locator('.monaco-workbench').first().waitFor({ state: 'visible', timeout: 60_000 });
      // The extension activates on YAML: open the template, then its activity-bar entry must be there.
      await retry('open bad.yaml', 100_000, () => openFile(page, 'bad.yaml'));
      await page.locator('.activitybar .action-item a[aria-label^="Lambda VPC"], .activitybar .action-item .action-label[aria-label^="Lambda VPC"]').first().waitFor({ state: 'visible', timeout: 30_000 });
      return listed.find((l) => l.toLowerCase().startsWith(EXTENSION_ID)) ?? '';
    });

    await step(`Problems panel lists ${RULE} for bad.yaml`, 'problems', 90_000, async () => {
      await openFile(page, 'bad.yaml').catch(() => undefined);
      const text = await retry('the finding in the Problems panel', 75_000, async () => {
        await showProblems(page);
        const t = await problemsText(page);
        if (!t.includes(RULE) || !t.includes('bad.yaml')) throw new Error(`Problems panel shows: ${JSON.stringify(t.slice(0, 300))}`);
        return t;
      });
      const line = text.split('\n').find((l) => l.includes('SecurityGroupIds')) ?? '';
      return line.trim().slice(0, 140);
    });

    await step('the rule link in the Problems panel opens the shipped rule page in the Markdown preview', 'rule-doc', 60_000, async () => {
      await showProblems(page);
      const link = page.locator('.markers-panel .monaco-list-row').filter({ hasText: RULE }).first().locator('a, .monaco-link, .code-link').filter({ hasText: RULE }).first();
      await retry('click the rule link', 20_000, () => link.click({ timeout: 5_000 }));
      const tab = page.locator('.tabs-container .tab').filter({ hasText: new RegExp(`Preview ${RULE}`) }).first();
      await tab.waitFor({ state: 'visible', timeout: 20_000 });
      // The preview renders the page from the extension's docs/ (an iframe of the webview); no dialog asked to open a site.
      if (await page.locator('.monaco-dialog-box').first().isVisible().catch(() => false)) throw new Error('a dialog opened (an external site?)');
      const title = (await tab.innerText({ timeout: 5_000 })).replace(/\u00a0/g, ' ').trim();
      await sleep(1_500);
      await screenshot('rule-doc-preview');
      await page.keyboard.press(`${MOD}+W`);
      // Closing the preview can leave the quick-open input settling: retry as the other steps do.
      await retry('open bad.yaml again', 30_000, () => openFile(page, 'bad.yaml'));
      return `tab: ${title}`;
    });

    await step("quick fix from the Ctrl+. menu names the VPC's security group and the finding goes", 'quick-fix', 90_000, async () => {
      const before = await editorText(page);
      if (before.includes('SecurityGroupIds:')) throw new Error('bad.yaml already has SecurityGroupIds');
      // Go to the finding from the Problems panel, as a user would (Enter opens it in the editor with the cursor
      // on it), then Ctrl+. there.
      await showProblems(page);
      const row = page.locator('.markers-panel .monaco-list-row').filter({ hasText: RULE }).first();
      await retry('open the quick fix menu', 45_000, async () => {
        await page.keyboard.press('Escape');
        await row.click({ timeout: 5_000 });
        await page.keyboard.press('Enter');
        await sleep(500);
        const inEditor = await page.evaluate<boolean>("!!document.activeElement?.closest('.editor-instance .monaco-editor')");
        if (!inEditor) {
          // Fall back to a click on the squiggled line.
          await page.locator('.editor-instance .monaco-editor .view-line').filter({ hasText: '!Ref PrivateSubnetA' }).first().click({ timeout: 5_000 });
        }
        await page.keyboard.press(`${MOD}+.`);
        await page.locator('.action-widget .monaco-list-row').first().waitFor({ state: 'visible', timeout: 5_000 });
      });
      const menu = (await page.locator('.action-widget').first().innerText()).replace(/\u00a0/g, ' ');
      mkdirSync(IMAGES, { recursive: true });
      copyFileSync(await screenshot('quick-fix-menu'), join(IMAGES, 'quick-fix.png'));
      const fix = page.locator('.action-widget .monaco-list-row').filter({ hasText: 'SecurityGroupIds' }).first();
      if ((await fix.count()) === 0) throw new Error(`no "SecurityGroupIds" fix in the menu: ${JSON.stringify(menu)}`);
      await fix.click({ timeout: 5_000 });
      await sleep(500);
      await page.keyboard.press('Escape');
      const after = await retry('the fix to change the text', 10_000, async () => {
        const t = await editorText(page);
        if (t === before) throw new Error('text unchanged');
        return t;
      });
      writeFileSync(join(RESULTS, 'bad.yaml.after-fix.txt'), after);
      if (!/SecurityGroupIds:\s*- !GetAtt OrdersSecurityGroup\.GroupId/.test(after)) throw new Error(`the fix did not name the VPC's security group:\n${after}`);
      await retry(`the ${RULE} finding to go`, 30_000, async () => {
        const t = await problemsText(page);
        if (t.includes(RULE)) throw new Error(`the Problems panel still lists it: ${JSON.stringify(t.slice(0, 400))}`);
      });
      const t = await problemsText(page);
      if (/bad\.yaml/.test(t)) throw new Error(`bad.yaml still has problems after the fix: ${JSON.stringify(t.slice(0, 400))}`);
      return `menu: ${menu.split('\n').filter(Boolean).slice(0, 4).join(' | ')}`;
    });

    await step('ENI view welcome content when AWS refuses the credentials', 'eni-welcome', 90_000, async () => {
      ec2.fail({ type: 'error', code: 'AuthFailure', message: 'AWS was not able to validate the provided access credentials' });
      try {
        return await eniWelcome();
      } finally {
        ec2.clearFaults();
      }
    });

    async function eniWelcome(): Promise<string> {
      await retry('open the Lambda VPC view', 30_000, () => showLambdaVpc(page));
      const eni = pane(page, /Lambda ENIs/i);
      const text = await retry('the welcome content', 60_000, async () => {
        const t = (await eni.innerText({ timeout: 5_000 })).replace(/\u00a0/g, ' ');
        if (!t.includes('AWS did not accept credentials')) throw new Error(`the view shows: ${JSON.stringify(t.slice(0, 300))}`);
        for (const button of ['Select Profile', 'Select Regions', 'Open Walkthrough']) if (!t.includes(button)) throw new Error(`no ${button} button: ${JSON.stringify(t.slice(0, 300))}`);
        return t;
      });
      if (/selected profile/.test(text) || text.includes('`')) throw new Error(`the view speaks of a selected profile or shows backticks: ${JSON.stringify(text)}`);
      mkdirSync(IMAGES, { recursive: true });
      copyFileSync(await screenshot('eni-welcome-content'), join(IMAGES, 'eni-welcome.png'));
      return text.split('\n').find((l) => l.includes('AWS did not accept credentials'))?.slice(0, 120) ?? '';
    }

    await step('ENI explorer shows the loopback account', 'eni-explorer', 90_000, async () => {
      await retry('open the Lambda VPC view', 30_000, () => showLambdaVpc(page).catch(() => undefined));
      // Title "Lambda VPC: Refresh", not "Refresh Template Network" nor "Refresh Live Facts".
      await runCommand(page, 'Lambda VPC: Refresh', /Lambda VPC: Refresh(?! Template| Live)/);
      const tree = pane(page, /Lambda ENIs/i).locator('.monaco-list').first();
      const wanted = [EXPECTED.region, EXPECTED.vpc, ...EXPECTED.subnets.map((s) => s.split(' ')[0]!), ...EXPECTED.functions, ...EXPECTED.interfaces];
      const text = await retry('the ENI tree', 60_000, async () => {
        const t = (await tree.innerText({ timeout: 5_000 })).replace(/\u00a0/g, ' ');
        const missing = wanted.filter((w) => !t.includes(w));
        if (missing.length) {
          const tooltips = await page.evaluate<string>(
            "[...document.querySelectorAll('.sidebar .monaco-list-row')].map((r) => r.getAttribute('aria-label') ?? '').join('\\n---\\n')",
          );
          throw new Error(`missing ${missing.join(', ')}; the view shows: ${JSON.stringify(t.slice(0, 300))}; rows: ${JSON.stringify(tooltips.slice(0, 600))}`);
        }
        return t;
      });
      writeFileSync(join(RESULTS, 'eni-explorer.txt'), text);
      // Widen the side bar for a readable screenshot (drag its sash, as a user would).
      const right = await page.evaluate<number>("document.querySelector('.part.sidebar')?.getBoundingClientRect().right ?? 0");
      if (right > 0) {
        await page.mouse.move(right + 1, 400);
        await page.mouse.down();
        await page.mouse.move(right + 320, 400, { steps: 8 });
        await page.mouse.up();
        await sleep(500);
      }
      mkdirSync(IMAGES, { recursive: true });
      copyFileSync(await screenshot('eni-explorer-wide'), join(IMAGES, 'eni-explorer.png'));
      return `${wanted.length} expected labels shown`;
    });

    await step('Template Network view marks the zone with no way out', 'network-view', 90_000, async () => {
      await retry('open network.yaml', 30_000, () => openFile(page, 'network.yaml'));
      await retry('open the Lambda VPC view', 30_000, () => showLambdaVpc(page).catch(() => undefined));
      const network = pane(page, /Template Network/i);
      await network.waitFor({ state: 'visible', timeout: 10_000 });
      // Collapse the ENI pane so the network tree has the room.
      await pane(page, /Lambda ENIs/i).locator('.pane-header').first().click({ timeout: 5_000 }).catch(() => undefined);
      const wanted = ['Worker', 'PrivateSubnetA', 'PrivateTableA', 'NAT gateway Nat', 'PrivateSubnetB', 'no default route', 'LambdaSecurityGroup', 'missing-endpoint'];
      const rows = await retry('the network tree', 60_000, async () => {
        const labels = await page.evaluate<string>(
          "[...document.querySelectorAll('.sidebar .pane .monaco-list-row')].map((r) => r.getAttribute('aria-label') ?? r.textContent ?? '').join('\\n')",
        );
        const missing = wanted.filter((w) => !labels.includes(w));
        if (missing.length) throw new Error(`missing ${missing.join(', ')}; rows: ${JSON.stringify(labels.slice(0, 600))}`);
        return labels;
      });
      writeFileSync(join(RESULTS, 'network-view.txt'), rows);
      // The broken zone's subnet carries the error icon.
      const brokenIcon = await page.evaluate<string>(
        "[...document.querySelectorAll('.sidebar .pane .monaco-list-row')].find((r) => (r.textContent ?? '').startsWith('PrivateSubnetB'))?.querySelector('.custom-view-tree-node-item-icon')?.className ?? ''",
      );
      if (!/codicon-error/.test(brokenIcon)) throw new Error(`PrivateSubnetB's icon is ${JSON.stringify(brokenIcon)}, not the error icon`);
      const right = await page.evaluate<number>("document.querySelector('.part.sidebar')?.getBoundingClientRect().right ?? 0");
      if (right > 0 && right < 560) {
        await page.mouse.move(right + 1, 400);
        await page.mouse.down();
        await page.mouse.move(600, 400, { steps: 8 });
        await page.mouse.up();
      }
      await sleep(800);
      mkdirSync(IMAGES, { recursive: true });
      copyFileSync(await screenshot('network-view-wide'), join(IMAGES, 'network-view.png'));
      return `${wanted.length} expected labels; PrivateSubnetB marked`;
    });

    await step('completion in an empty file offers the whole-template snippet', 'snippet-empty-file', 90_000, async () => {
      await retry('open empty.yaml', 30_000, () => openFile(page, 'empty.yaml'));
      await page.locator('.editor-instance .monaco-editor .view-lines').first().click({ timeout: 5_000 });
      await page.keyboard.type('lambda-vpc');
      const row = page.locator('.suggest-widget .monaco-list-row').filter({ hasText: 'lambda-vpc-sam-template' }).first();
      await retry('the snippet in the suggestions', 40_000, async () => {
        if (!(await row.isVisible().catch(() => false))) {
          await page.keyboard.press(`${MOD}+Space`);
          await row.waitFor({ state: 'visible', timeout: 5_000 });
        }
      });
      await screenshot('snippet-suggestions');
      await row.click({ timeout: 5_000 });
      await sleep(500);
      await page.keyboard.press('Escape');
      await page.keyboard.press(`${MOD}+Home`);
      const text = await retry('the template to be written', 10_000, async () => {
        const t = await editorText(page);
        if (!t.startsWith("AWSTemplateFormatVersion: '2010-09-09'")) throw new Error(`the editor shows: ${JSON.stringify(t.slice(0, 200))}`);
        return t;
      });
      if (!/Resources:\n\s+VPC:/.test(text)) throw new Error(`no Resources in the inserted template:\n${text}`);
      return 'the whole template inserted';
    });

    await step('a function whose network cannot be followed: network-unknown in the Problems panel, and the status bar counts it', 'coverage', 90_000, async () => {
      await retry('open unchecked.yaml', 30_000, () => openFile(page, 'unchecked.yaml'));
      const problems = await retry('network-unknown in the Problems panel', 60_000, async () => {
        await showProblems(page);
        const t = await problemsText(page);
        if (!t.includes('network-unknown') || !t.includes('unchecked.yaml')) throw new Error(`Problems panel shows: ${JSON.stringify(t.slice(0, 300))}`);
        return t;
      });
      if (!/parameter `?SubnetIds`? has no value/.test(problems)) throw new Error(`the finding does not name the parameter: ${JSON.stringify(problems.slice(0, 400))}`);
      const item = page.locator('.statusbar-item').filter({ hasText: 'VPC: 0/1 checked' }).first();
      await item.waitFor({ state: 'visible', timeout: 30_000 });
      return `status bar: ${(await item.innerText()).trim()}`;
    });
  } finally {
    if (blocked.length) log(`ui: blocked ${blocked.length} non-loopback browser request(s): ${[...new Set(blocked)].slice(0, 5).join(', ')}`);
    if (failed) writeFileSync(join(RESULTS, 'ui-console-errors.log'), consoleErrors.join('\n'));
    await server.stop();
  }
  return checks;
}
