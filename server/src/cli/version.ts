export const TOOL_NAME = 'Windows Container Guard';
export const TOOL_VERSION = '0.1.0';
