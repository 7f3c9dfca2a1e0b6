/** Raised for anything the user must fix before a build can run (exit code 2 in the CLI). */
export class BuildInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BuildInputError';
  }
}
