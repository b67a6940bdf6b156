/**
 * The VS Code face of the Registries tree: translates the model's nodes and item models into
 * TreeItems. All decisions (children, paging, badges, what changed) are in RegistryTreeModel
 * and describeNode.
 */
import * as vscode from 'vscode';
import type { TreeNode } from './nodes';
import { parentOf } from './nodes';
import type { RegistryTreeModel } from './registryTreeModel';
import { describeNode } from './treeItemModel';

export class RegistryTreeProvider implements vscode.TreeDataProvider<TreeNode>, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<TreeNode | TreeNode[] | undefined>();
  private readonly subscription: { dispose(): void };

  readonly onDidChangeTreeData = this.emitter.event;

  constructor(private readonly model: RegistryTreeModel) {
    this.subscription = model.onDidChange((nodes) => this.emitter.fire(nodes));
  }

  getTreeItem(node: TreeNode): vscode.TreeItem {
    // VS Code reads an item when it replaces its record of the node: a children fetch of that
    // node still pending must not answer into the old record (see treeItemRequested).
    this.model.treeItemRequested(node);
    const model = describeNode(node);
    const item = new vscode.TreeItem(
      model.label,
      model.collapsible === 'collapsed' ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None,
    );
    item.id = model.id;
    item.description = model.description;
    item.contextValue = model.contextValue;
    item.iconPath = new vscode.ThemeIcon(model.icon.id, model.icon.color ? new vscode.ThemeColor(model.icon.color) : undefined);
    const tooltip = new vscode.MarkdownString(model.tooltip);
    // Server strings are in it (escaped): no command links, no HTML.
    tooltip.isTrusted = false;
    tooltip.supportHtml = false;
    item.tooltip = tooltip;
    if (model.command) {
      item.command = { command: model.command.id, title: model.command.title, arguments: [model.command.target] };
    }
    return item;
  }

  getChildren(node?: TreeNode): Promise<TreeNode[]> {
    return this.model.children(node);
  }

  getParent(node: TreeNode): TreeNode | undefined {
    return parentOf(node);
  }

  dispose(): void {
    this.subscription.dispose();
    this.emitter.dispose();
  }
}
