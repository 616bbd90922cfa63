/** JSONata for CodeMirror: a stream language over the tokenizer of jsonata-tokens.ts. */
import { StreamLanguage } from '@codemirror/language';
import { nextToken, startState, type TokenizerState, type TokenType } from './jsonata-tokens.js';

/** Tokens as CodeMirror's highlighting tags. */
const TAGS: Record<TokenType, string> = {
  comment: 'comment',
  string: 'string',
  number: 'number',
  keyword: 'keyword',
  atom: 'atom',
  variableName: 'variableName',
  function: 'variableName.function',
  propertyName: 'propertyName',
  operator: 'operator',
  bracket: 'bracket',
  punctuation: 'punctuation',
  invalid: 'invalid',
};

export const jsonataLanguage = StreamLanguage.define<TokenizerState>({
  name: 'jsonata',
  startState,
  copyState: (s) => ({ ...s }),
  token(stream, state) {
    const token = nextToken(stream.string, stream.pos, state);
    stream.pos = token.end;
    return token.type ? TAGS[token.type] : null;
  },
  languageData: { closeBrackets: { brackets: ['(', '[', '{', '"', "'"] }, commentTokens: { block: { open: '/*', close: '*/' } } },
});
