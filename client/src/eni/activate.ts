/**
 * Wires the ENI explorer into VS Code: the tree view, its commands (refresh, profile and region pickers, copy
 * id, open in console, function and orphan filters, retry), the settings, workspace trust and the optional
 * auto-refresh. Picks made through commands are remembered in `globalState`; changing the matching setting
 * later clears the remembered pick, so whichever the user touched last wins. Nothing here loads the AWS
 * SDK: the provider does, when the view first asks for data.
 */
import * as vscode from 'vscode';
import { isFilterActive } from '../../../server/src/aws/group-enis';
import { listProfiles } from '../../../server/src/aws/profiles';
import type { EniFilter } from '../../../server/src/aws/types';
import { KNOWN_REGIONS, isRegionName } from './aws-regions';
import { loadAws } from './aws-loader';
import { EniTreeProvider } from './eni-tree-provider';
import type { ExplorerConfig } from './eni-tree-provider';
import { COMMANDS, VIEW_ID, WELCOME_CONTEXT_KEY } from './tree-model';
import type { TreeNode } from './tree-model';

const SECTION = 'lambdaVpcLint';
const SETTINGS = {
  profile: 'eni.profile',
  regions: 'eni.regions',
  autoRefreshSeconds: 'eni.autoRefreshSeconds',
  endpoint: 'aws.endpoint',
} as const;

const STATE = {
  /** '' means "the default credential chain", chosen explicitly over the setting. */
  profile: 'lambdaVpcLint.eni.profile',
  regions: 'lambdaVpcLint.eni.regions',
  filter: 'lambdaVpcLint.eni.filter',
} as const;

const FILTERED_CONTEXT_KEY = 'lambdaVpcLint.eni.filtered';

/** EC2 Describe* calls share a per-account rate limit; refreshing more often than this only invites throttling. */
const MIN_AUTO_REFRESH_SECONDS = 30;

function readConfig(state: vscode.Memento): ExplorerConfig {
  const config = vscode.workspace.getConfiguration(SECTION);
  const pickedProfile = state.get<string>(STATE.profile);
  const profile = pickedProfile !== undefined ? pickedProfile : config.get<string>(SETTINGS.profile, '');
  const regions = state.get<string[]>(STATE.regions) ?? config.get<string[]>(SETTINGS.regions, []);
  // Only the user's own settings: a workspace must not be able to send this machine's signed requests elsewhere.
  const endpoint = config.inspect<string>(SETTINGS.endpoint)?.globalValue;
  return {
    profile: profile.trim() || undefined,
    regions: [...new Set((Array.isArray(regions) ? regions : []).map((r) => String(r).trim()).filter(isRegionName))],
    endpoint: typeof endpoint === 'string' && endpoint.trim() ? endpoint.trim() : undefined,
  };
}

function nodeArg(arg: unknown): TreeNode | undefined {
  return typeof arg === 'object' && arg !== null && 'id' in arg && 'kind' in arg ? (arg as TreeNode) : undefined;
}

/** Returns the tree provider, whose `getChildren()` the extension's API exposes to the in-editor tests. */
export function activateEniExplorer(context: vscode.ExtensionContext): EniTreeProvider {
  const state = context.globalState;
  let filter: EniFilter = state.get<EniFilter>(STATE.filter) ?? {};

  // Its level follows VS Code's log level for the channel (Developer: Set Log Level...).
  const output = vscode.window.createOutputChannel('Lambda VPC', { log: true });
  const provider = new EniTreeProvider({
    isTrusted: () => vscode.workspace.isTrusted,
    config: () => readConfig(state),
    filter: () => filter,
    loadAws,
    log: (level, message) => output[level](message),
  });
  const view = vscode.window.createTreeView(VIEW_ID, { treeDataProvider: provider, showCollapseAll: true });

  let shownWelcome: string | undefined | null = null;
  const updateDescription = () => {
    view.description = provider.description();
    const welcome = provider.welcome();
    if (welcome !== shownWelcome) {
      shownWelcome = welcome;
      void vscode.commands.executeCommand('setContext', WELCOME_CONTEXT_KEY, welcome ?? '');
    }
  };
  const setFilter = async (next: EniFilter) => {
    filter = next;
    await state.update(STATE.filter, isFilterActive(next) ? next : undefined);
    await vscode.commands.executeCommand('setContext', FILTERED_CONTEXT_KEY, isFilterActive(next));
    provider.redraw();
  };
  void vscode.commands.executeCommand('setContext', FILTERED_CONTEXT_KEY, isFilterActive(filter));

  let timer: NodeJS.Timeout | undefined;
  const scheduleAutoRefresh = () => {
    if (timer) clearInterval(timer);
    timer = undefined;
    const seconds = vscode.workspace.getConfiguration(SECTION).get<number>(SETTINGS.autoRefreshSeconds, 0);
    if (typeof seconds !== 'number' || !(seconds > 0)) return;
    timer = setInterval(
      () => {
        if (view.visible && provider.hasStarted && vscode.workspace.isTrusted) provider.refresh();
      },
      Math.max(MIN_AUTO_REFRESH_SECONDS, seconds) * 1000,
    );
  };
  scheduleAutoRefresh();

  const register = (command: string, run: (...args: unknown[]) => unknown) =>
    vscode.commands.registerCommand(command, async (...args: unknown[]) => {
      try {
        await run(...args);
      } catch (err) {
        void vscode.window.showErrorMessage(`Lambda VPC: ${err instanceof Error ? err.message : String(err)}`);
      }
    });

  context.subscriptions.push(
    output,
    provider,
    view,
    provider.onDidChangeTreeData(updateDescription),
    { dispose: () => timer && clearInterval(timer) },

    register(COMMANDS.refresh, () => provider.refresh()),

    register(COMMANDS.retryRegion, (arg) => {
      const region = typeof arg === 'string' ? arg : nodeArg(arg)?.region;
      if (region) provider.retryRegion(region);
    }),

    register(COMMANDS.selectProfile, async () => {
      const current = readConfig(state).profile;
      const profiles = listProfiles(process.env);
      const items: (vscode.QuickPickItem & { profile: string })[] = [
        { label: '$(key) Default credential chain', description: 'environment, SSO, instance role…', profile: '' },
        ...profiles.map((p) => ({ label: p, profile: p, ...(p === current ? { description: 'current' } : {}) })),
      ];
      const pick = await vscode.window.showQuickPick(items, {
        title: 'AWS profile for the ENI explorer',
        placeHolder: profiles.length > 0 ? 'Pick a profile from the shared AWS config and credentials files' : 'No named profile found',
      });
      if (!pick) return;
      await state.update(STATE.profile, pick.profile);
      updateDescription();
      provider.refresh();
    }),

    register(COMMANDS.selectRegions, async () => {
      const current = readConfig(state).regions;
      const all = [...new Set([...current, ...KNOWN_REGIONS])];
      const other = { label: '$(edit) Other region…', region: '' };
      const picks = await vscode.window.showQuickPick(
        [...all.map((region) => ({ label: region, region, picked: current.includes(region) })), other],
        { title: 'Regions for the ENI explorer', placeHolder: 'None picked: the SDK configured region', canPickMany: true },
      );
      if (!picks) return;
      const regions = picks.filter((p) => p.region).map((p) => p.region);
      if (picks.includes(other)) {
        const typed = await vscode.window.showInputBox({
          title: 'Other region',
          placeHolder: 'e.g. ap-southeast-5',
          validateInput: (v) => (isRegionName(v.trim()) ? undefined : 'Not a region name'),
        });
        if (typed) regions.push(typed.trim());
      }
      await state.update(STATE.regions, [...new Set(regions)]);
      provider.refresh();
    }),

    register(COMMANDS.copyId, async (arg) => {
      const text = nodeArg(arg)?.copyText;
      if (!text) return;
      await vscode.env.clipboard.writeText(text);
      vscode.window.setStatusBarMessage(`Copied ${text}`, 2_000);
    }),

    register(COMMANDS.openInConsole, async (arg) => {
      const url = nodeArg(arg)?.consoleUrl;
      if (url) await vscode.env.openExternal(vscode.Uri.parse(url));
    }),

    register(COMMANDS.filterByFunction, async (arg) => {
      let name = nodeArg(arg)?.functionName;
      if (!name) {
        const names = provider.functionNames();
        if (names.length === 0) {
          void vscode.window.showInformationMessage('No function listed yet: refresh the ENI explorer first.');
          return;
        }
        name = await vscode.window.showQuickPick(names, { title: 'Show only the interfaces of one function' });
      }
      if (name) await setFilter({ ...filter, functionName: name });
    }),

    register(COMMANDS.toggleOrphansOnly, () => setFilter({ ...filter, orphansOnly: !filter.orphansOnly })),

    register(COMMANDS.clearFilter, () => setFilter({})),

    vscode.workspace.onDidGrantWorkspaceTrust(() => {
      updateDescription();
      provider.refresh();
    }),

    vscode.workspace.onDidChangeConfiguration(async (e) => {
      if (e.affectsConfiguration(`${SECTION}.${SETTINGS.autoRefreshSeconds}`)) scheduleAutoRefresh();
      const profileChanged = e.affectsConfiguration(`${SECTION}.${SETTINGS.profile}`);
      const regionsChanged = e.affectsConfiguration(`${SECTION}.${SETTINGS.regions}`);
      if (profileChanged) await state.update(STATE.profile, undefined);
      if (regionsChanged) await state.update(STATE.regions, undefined);
      if ((profileChanged || regionsChanged || e.affectsConfiguration(`${SECTION}.${SETTINGS.endpoint}`)) && provider.hasStarted) {
        updateDescription();
        provider.refresh();
      }
    }),
  );
  updateDescription();
  return provider;
}
