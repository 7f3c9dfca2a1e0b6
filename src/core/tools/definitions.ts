import type { ToolDefinition } from './types';

const pathProp = (what: string) => ({ type: 'string', minLength: 1, description: `${what}, relative to the workspace root.` });

export const LIST_FILES: ToolDefinition = {
  name: 'list_files',
  description:
    'List files and directories under a directory of the workspace (default: the root), recursively, ' +
    'breadth-first. Directories end with "/". .git, node_modules, .munero and whatever .gitignore ' +
    'excludes are left out. Long listings are cut off with a note naming what was not opened: list a ' +
    'subdirectory to see more.',
  input_schema: {
    type: 'object',
    properties: { path: { type: 'string', description: 'Directory to list, relative to the workspace root. Default: the root.' } },
    additionalProperties: false,
  },
};

export const READ_FILE: ToolDefinition = {
  name: 'read_file',
  description:
    'Read a text file. Each line is prefixed with its number ("  12| text"); the numbers are not part ' +
    'of the file. The header names the lines shown, e.g. "[src/x.ts: lines 10-60 of 400]". Use ' +
    'start_line/end_line (1-based, inclusive) for part of a file; a long file is shown up to the size of ' +
    'one result, with the start_line to continue from. Shows your own pending changes, if any.',
  input_schema: {
    type: 'object',
    properties: {
      path: pathProp('File to read'),
      start_line: { type: 'integer', minimum: 1, description: 'First line to show (1-based). Default: 1.' },
      end_line: { type: 'integer', minimum: 1, description: 'Last line to show (inclusive). Default: the last line.' },
    },
    required: ['path'],
    additionalProperties: false,
  },
};

export const SEARCH_FILES: ToolDefinition = {
  name: 'search_files',
  description:
    'Search file contents for a regular expression, line by line (ripgrep). Results are grouped by file: ' +
    'the path, then "  12: text" for each matching line ("  11- text" for context lines). Honours ' +
    '.gitignore (tracked files are still searched); skips .git, .munero, node_modules (unless path is ' +
    'inside one) and binary files. Write the pattern as a JavaScript regular expression without slashes ' +
    'or flags; \\w, \\d and \\b also match non-ASCII letters and digits, and lookaround and backreferences ' +
    'work but are slower. Long results are cut to fit, with a note saying how much was left out: narrow ' +
    'with path, glob or type, or ask for output_mode "files_with_matches" or "count" first.',
  input_schema: {
    type: 'object',
    properties: {
      pattern: { type: 'string', minLength: 1, description: 'Regular expression, e.g. "function\\s+parse" or "log.*Error".' },
      path: { type: 'string', description: 'File or directory to search, relative to the workspace root. Default: the root.' },
      glob: { type: 'string', minLength: 1, description: 'Only files matching this glob, e.g. "*.ts", "*.{ts,tsx}", "src/**/*.test.ts"; "!*.min.js" excludes.' },
      type: { type: 'string', minLength: 1, description: 'Only files of this type (ripgrep\'s names), e.g. "ts", "js", "py", "rust", "go", "md".' },
      case_insensitive: { type: 'boolean', description: 'Match regardless of case. Default: false.' },
      output_mode: {
        type: 'string',
        enum: ['content', 'files_with_matches', 'count'],
        description: '"content": matching lines (default); "files_with_matches": only the paths; "count": matching lines per file.',
      },
      context: { type: 'integer', minimum: 0, maximum: 20, description: 'Lines of context before and after each match (content mode). Default: 0.' },
      head_limit: { type: 'integer', minimum: 1, description: 'Show at most this many matching lines (or files, or counts).' },
    },
    required: ['pattern'],
    additionalProperties: false,
  },
};

export const WRITE_FILE: ToolDefinition = {
  name: 'write_file',
  description:
    'Create a file or replace its whole content. Prefer edit_file for changing part of an existing file. ' +
    'Parent directories are created as needed. Files in .git/, .munero/ and .vscode/ cannot be written.',
  input_schema: {
    type: 'object',
    properties: {
      path: pathProp('File to write'),
      content: { type: 'string', description: 'The complete new content of the file.' },
    },
    required: ['path', 'content'],
    additionalProperties: false,
  },
};

export const EDIT_FILE: ToolDefinition = {
  name: 'edit_file',
  description:
    'Replace one exact piece of text in an existing file. old_text must appear exactly once, with the same ' +
    'whitespace and indentation (copy it from read_file, without the line-number prefixes); include ' +
    'surrounding lines to make it unique.',
  input_schema: {
    type: 'object',
    properties: {
      path: pathProp('File to edit'),
      old_text: { type: 'string', minLength: 1, description: 'The exact text to replace; must occur exactly once.' },
      new_text: { type: 'string', description: 'The text to put in its place (may be empty to delete).' },
    },
    required: ['path', 'old_text', 'new_text'],
    additionalProperties: false,
  },
};

export const RUN_COMMAND: ToolDefinition = {
  name: 'run_command',
  description:
    'Run an allowed shell command (e.g. the tests or the type checker) in the workspace root. Returns the ' +
    'exit code, the duration and the combined output (long output keeps its start and end). No input is ' +
    'given; commands that wait for input or never exit are stopped at the timeout.',
  input_schema: {
    type: 'object',
    properties: {
      command: { type: 'string', minLength: 1, description: 'The command line, exactly as allowed.' },
      timeout_s: { type: 'number', exclusiveMinimum: 0, description: 'Timeout in seconds (there is a default and a ceiling).' },
    },
    required: ['command'],
    additionalProperties: false,
  },
};

export const TASK_COMPLETE: ToolDefinition = {
  name: 'task_complete',
  description:
    'Call when the task is done and its checks pass. Summarise what you changed and anything left open; ' +
    'this ends your turn on the task.',
  input_schema: {
    type: 'object',
    properties: { summary: { type: 'string', minLength: 1, description: 'What was done, which files changed, what is left.' } },
    required: ['summary'],
    additionalProperties: false,
  },
};

const stringList = (description: string) => ({ type: 'array', items: { type: 'string' }, description });

export const SUBMIT_PLAN: ToolDefinition = {
  name: 'submit_plan',
  description:
    'Submit the implementation plan: small tasks, each one a coherent change with the spec requirements ' +
    'it covers, the tasks it depends on and the files it will likely touch. Call once, with every task.',
  input_schema: {
    type: 'object',
    properties: {
      tasks: {
        type: 'array',
        minItems: 1,
        items: {
          type: 'object',
          properties: {
            id: { type: 'string', minLength: 1, description: 'Short unique id, e.g. "T1".' },
            title: { type: 'string', minLength: 1, description: 'One line.' },
            description: { type: 'string', minLength: 1, description: 'What to build and how to tell it works.' },
            requirements: stringList('Ids of the spec requirements this task implements.'),
            depends_on: stringList('Ids of tasks that must be done first ([] if none).'),
            files: stringList('Files the task will likely create or change, relative to the workspace root.'),
          },
          required: ['id', 'title', 'description', 'requirements', 'depends_on', 'files'],
          additionalProperties: false,
        },
      },
    },
    required: ['tasks'],
    additionalProperties: false,
  },
};

export const CODER_TOOLS: ToolDefinition[] = [
  LIST_FILES,
  READ_FILE,
  SEARCH_FILES,
  WRITE_FILE,
  EDIT_FILE,
  RUN_COMMAND,
  TASK_COMPLETE,
];

export const PLANNER_TOOLS: ToolDefinition[] = [SUBMIT_PLAN];

export const SUBMIT_REFLECTION: ToolDefinition = {
  name: 'submit_reflection',
  description: 'Submit your analysis of the failed attempt: why it failed, the lesson for the next attempt, and what to do next.',
  input_schema: {
    type: 'object',
    properties: {
      task_id: { type: 'string', description: 'The id of the task that failed.' },
      root_cause: { type: 'string', description: 'Why the attempt failed, in one or two sentences.' },
      lesson: { type: 'string', description: 'A general, reusable lesson that would have avoided the failure.' },
      next_action: {
        type: 'string',
        enum: ['retry', 'split', 'replan', 'escalate'],
        description: 'retry: try again with the lesson; split: the task is too big; replan: the plan is wrong (a missing or misordered task); escalate: a person must decide.',
      },
    },
    required: ['task_id', 'root_cause', 'lesson', 'next_action'],
    additionalProperties: false,
  },
};

export const SUBMIT_REVIEW: ToolDefinition = {
  name: 'submit_review',
  description: "Approve the task's change, or reject it with the reasons the coder must address.",
  input_schema: {
    type: 'object',
    properties: {
      verdict: { type: 'string', enum: ['approve', 'reject'] },
      reasons: { type: 'string', description: 'What is wrong or missing against the requirement text (for a rejection), or a short note.' },
    },
    required: ['verdict', 'reasons'],
    additionalProperties: false,
  },
};

export const REFLECTOR_TOOLS: ToolDefinition[] = [SUBMIT_REFLECTION];
export const REVIEWER_TOOLS: ToolDefinition[] = [LIST_FILES, READ_FILE, SEARCH_FILES, SUBMIT_REVIEW];
