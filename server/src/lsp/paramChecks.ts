// Request params are client input: a request whose params lack what the method requires is answered with
// InvalidParams (-32602), not with an internal error from reading a property of undefined (fuzz, issue 14).
import { ErrorCodes, ResponseError } from 'vscode-languageserver/node';

function invalid(message: string): never {
  throw new ResponseError(ErrorCodes.InvalidParams, message);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function isPosition(value: unknown): boolean {
  return isObject(value) && Number.isInteger(value.line) && Number.isInteger(value.character) && (value.line as number) >= 0 && (value.character as number) >= 0;
}

function isRange(value: unknown): boolean {
  return isObject(value) && isPosition(value.start) && isPosition(value.end);
}

/** `{ textDocument: { uri } }`, as every document request has. */
export function checkDocumentParams(params: unknown): void {
  if (!isObject(params) || !isObject(params.textDocument) || typeof params.textDocument.uri !== 'string') invalid('params.textDocument.uri must be a string');
}

/** Hover, completion: a document and a position. */
export function checkPositionParams(params: unknown): void {
  checkDocumentParams(params);
  if (!isPosition((params as Record<string, unknown>).position)) invalid('params.position must be a position');
}

/** Code actions: a document, a range and a context with its diagnostics. */
export function checkCodeActionParams(params: unknown): void {
  checkDocumentParams(params);
  const { range, context } = params as Record<string, unknown>;
  if (!isRange(range)) invalid('params.range must be a range');
  if (!isObject(context) || !Array.isArray(context.diagnostics)) invalid('params.context.diagnostics must be an array');
}
