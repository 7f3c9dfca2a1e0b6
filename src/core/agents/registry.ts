import fs from 'node:fs';
import path from 'node:path';
import type { PlanTask } from '../state/buildState';
import { STATE_DIR } from '../state/workspaceState';
import { CODER_TOOLS, PLANNER_TOOLS, REFLECTOR_TOOLS, REVIEWER_TOOLS } from '../tools/definitions';
import type { ToolDefinition } from '../tools/types';
import { CODER_SYSTEM, PLANNER_SYSTEM, REFLECTOR_SYSTEM, REVIEWER_SYSTEM } from './prompts';

export interface RoleDefinition {
  name: string;
  system: string;
  tools: ToolDefinition[];
  /** A model for this role only; default the build's model. */
  model?: string;
  maxTurns?: number;
  /** For coder-like roles: used for tasks whose planned files all match these globs. */
  files?: string[];
  /** The MCP servers whose tools this role gets; absent: see mcpServersFor. */
  mcpServers?: string[];
}

interface UserRole {
  mcpServers?: string[];
  extends?: string;
  system?: string;
  tools?: string[];
  model?: string;
  maxTurns?: number;
  files?: string[];
}

export class AgentsFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AgentsFileError';
  }
}

const BUILT_IN: RoleDefinition[] = [
  { name: 'planner', system: PLANNER_SYSTEM, tools: PLANNER_TOOLS },
  { name: 'coder', system: CODER_SYSTEM, tools: CODER_TOOLS },
  { name: 'reviewer', system: REVIEWER_SYSTEM, tools: REVIEWER_TOOLS },
  { name: 'reflector', system: REFLECTOR_SYSTEM, tools: REFLECTOR_TOOLS },
];

/**
 * The agent roles of a workspace: the built-in planner, coder, reviewer and reflector, plus
 * roles from `.munero/agents.json` that override them or add specialised coders.
 */
export class AgentRegistry {
  private readonly roles = new Map<string, RoleDefinition>();

  constructor(userRoles: Record<string, UserRole> = {}, source = 'agents.json') {
    for (const role of BUILT_IN) this.roles.set(role.name, role);
    const allTools = new Map([...CODER_TOOLS, ...PLANNER_TOOLS, ...REVIEWER_TOOLS, ...REFLECTOR_TOOLS].map((t) => [t.name, t]));
    for (const [name, user] of Object.entries(userRoles)) {
      const base = this.roles.get(user.extends ?? name) ?? this.roles.get('coder')!;
      const tools = user.tools?.map((t) => {
        const tool = allTools.get(t);
        if (!tool) throw new AgentsFileError(`${source}: role "${name}" names unknown tool "${t}" (known: ${[...allTools.keys()].join(', ')})`);
        return tool;
      });
      if (user.mcpServers !== undefined && !(Array.isArray(user.mcpServers) && user.mcpServers.every((s) => typeof s === 'string'))) {
        throw new AgentsFileError(`${source}: role "${name}": "mcpServers" must be a list of MCP server names`);
      }
      this.roles.set(name, {
        name,
        system: user.system ?? base.system,
        tools: tools ?? base.tools,
        model: user.model ?? base.model,
        maxTurns: user.maxTurns ?? base.maxTurns,
        files: user.files,
        mcpServers: user.mcpServers ?? base.mcpServers,
      });
    }
  }

  static load(workspaceRoot: string): AgentRegistry {
    const file = path.join(workspaceRoot, STATE_DIR, 'agents.json');
    if (!fs.existsSync(file)) return new AgentRegistry();
    let data: { roles?: Record<string, UserRole> };
    try {
      data = JSON.parse(fs.readFileSync(file, 'utf8'));
    } catch (err) {
      throw new AgentsFileError(`${file} is not valid JSON: ${(err as Error).message}. Fix it, or delete it to use the built-in roles.`);
    }
    if (!data || typeof data !== 'object' || (data.roles !== undefined && typeof data.roles !== 'object')) {
      throw new AgentsFileError(`${file} must be {"roles": {"<name>": {"system", "tools", "model", "files", "extends"}}}; fix it (see the README's "Agent roles"), or delete it to use the built-in roles.`);
    }
    return new AgentRegistry(data.roles ?? {}, file);
  }

  role(name: string): RoleDefinition {
    const role = this.roles.get(name);
    if (!role) throw new Error(`No agent role "${name}"`);
    return role;
  }

  /** The coder for a task: a user role whose file globs cover every planned file, else `coder`. */
  coderFor(task: PlanTask): RoleDefinition {
    if (task.files.length > 0) {
      for (const role of this.roles.values()) {
        if (role.files?.length && task.files.every((f) => role.files!.some((g) => globToRegExp(g).test(f)))) return role;
      }
    }
    return this.role('coder');
  }

  names(): string[] {
    return [...this.roles.keys()];
  }
}

/** `**` any path, `*` within a segment, `?` one character. */
export function globToRegExp(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*' && glob[i + 1] === '*') {
      re += glob[i + 2] === '/' ? '(?:.*/)?' : '.*';
      i += glob[i + 2] === '/' ? 2 : 1;
    } else if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else re += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}
