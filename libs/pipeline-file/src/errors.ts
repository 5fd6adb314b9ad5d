/** One problem in a pipeline file, located in the source. */
export interface Problem {
  file: string;
  /** 0, with column 0, for a problem with no position: in the overrides from the environment. */
  line: number;
  column: number;
  /** Key path, e.g. ['training', 'learning-rate']; empty for the whole document. */
  path: (string | number)[];
  message: string;
}

export function formatProblem(p: Problem): string {
  const where = p.path.length ? `${p.path.join(' -> ')}: ` : '';
  const at = p.line ? `${p.file}:${p.line}:${p.column}` : `${p.file}:`;
  return `${at} ${where}${p.message}`;
}

/** A pipeline file that cannot be used: one line per problem, no stack trace wanted. */
export class PipelineError extends Error {
  readonly code = 'TY_PIPELINE';
  constructor(readonly problems: Problem[]) {
    super(problems.map(formatProblem).join('\n'));
    this.name = 'PipelineError';
  }
}
