// Minimal typings for @ericcornelissen/bash-parser (the package ships none): only what shell/posix.ts uses.
declare module '@ericcornelissen/bash-parser' {
  interface Location {
    start: { char: number };
    end: { char: number };
  }
  export interface BashNode {
    type: string;
    text?: string;
    loc?: Location;
    name?: BashNode;
    prefix?: BashNode[];
    suffix?: BashNode[];
    commands?: BashNode[];
    left?: BashNode;
    right?: BashNode;
    op?: string | BashNode;
    clause?: BashNode;
    then?: BashNode;
    else?: BashNode;
    do?: BashNode;
    list?: BashNode;
    wordlist?: BashNode[];
    file?: BashNode;
    expansion?: Array<{ type: string; commandAST?: BashNode; loc?: { start: number; end: number } }>;
  }
  function parse(source: string, options?: { insertLOC?: boolean; mode?: 'posix' | 'bash' }): BashNode;
  export default parse;
}
