export function writeSection(file: string, heading: string, section: string): void;
