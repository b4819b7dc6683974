// The two halves of @xml-tools/parser's parse() (lib/api.js runs them back to back), used separately by
// xml.ts so that it can bound what the parser's error recovery costs: the lexer, and the one parser
// instance (a Chevrotain CstParser) with the members xml.ts touches. Pinned with the package (1.0.12).
declare module '@xml-tools/parser/lib/lexer' {
  import type { parse } from '@xml-tools/parser';
  type Parsed = ReturnType<typeof parse>;
  export const xmlLexer: {
    tokenize(text: string): { tokens: Parsed['tokenVector']; errors: Parsed['lexErrors'] };
  };
}

declare module '@xml-tools/parser/lib/parser' {
  import type { parse } from '@xml-tools/parser';
  type Parsed = ReturnType<typeof parse>;
  export const xmlParser: {
    /** Setting the input resets the parser's state. */
    input: Parsed['tokenVector'];
    readonly errors: Parsed['parseErrors'];
    document(): Parsed['cst'];
    /** Records a recognition error (Chevrotain's ErrorHandler trait); an own property shadows it. */
    SAVE_ERROR(error: Parsed['parseErrors'][number]): Parsed['parseErrors'][number];
  };
}
