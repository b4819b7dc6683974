export interface ScalingRow { name: string; flagged: boolean }
export function runScaling(_progress: (line: string) => void): ScalingRow[] { return []; }
