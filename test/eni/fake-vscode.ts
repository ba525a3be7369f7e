/**
 * Just enough of the `vscode` API for the ENI tree provider to run under Node's test runner: event
 * emitters, tree items, theme icons and a `withProgress` that records its options. Importing
 * `install-fake-vscode` routes `require('vscode')` here; nothing else of VS Code is imitated.
 */

type Listener<T> = (event: T) => void;

export class EventEmitter<T> {
  private readonly listeners = new Set<Listener<T>>();
  readonly event = (listener: Listener<T>) => {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  };
  fire(event: T): void {
    for (const l of [...this.listeners]) l(event);
  }
  dispose(): void {
    this.listeners.clear();
  }
}

export const TreeItemCollapsibleState = { None: 0, Collapsed: 1, Expanded: 2 } as const;

export class ThemeColor {
  constructor(readonly id: string) {}
}

export class ThemeIcon {
  constructor(
    readonly id: string,
    readonly color?: ThemeColor,
  ) {}
}

export class TreeItem {
  id?: string;
  description?: string;
  tooltip?: string;
  iconPath?: ThemeIcon;
  contextValue?: string;
  command?: { command: string; title: string; arguments?: unknown[] };
  constructor(
    readonly label: string,
    readonly collapsibleState: number,
  ) {}
}

export const progressCalls: unknown[] = [];

export const window = {
  withProgress<T>(options: unknown, task: (progress: { report(v: unknown): void }) => Promise<T>): Promise<T> {
    progressCalls.push(options);
    return task({ report() {} });
  },
};
