/** JSONata's built-in functions with their signatures, for completion after `$`. */
export interface JsonataFunction {
  name: string;
  /** `$sum(array)`. */
  signature: string;
}

const SIGNATURES = [
  'sum(array)', 'count(array)', 'max(array)', 'min(array)', 'average(array)',
  'string(arg, prettify?)', 'length(str)', 'substring(str, start, length?)', 'substringBefore(str, chars)', 'substringAfter(str, chars)',
  'uppercase(str)', 'lowercase(str)', 'trim(str)', 'pad(str, width, char?)', 'contains(str, pattern)', 'split(str, separator, limit?)',
  'join(array, separator?)', 'match(str, pattern, limit?)', 'replace(str, pattern, replacement, limit?)', 'eval(expr, context?)',
  'base64encode(str)', 'base64decode(str)', 'encodeUrlComponent(str)', 'encodeUrl(str)', 'decodeUrlComponent(str)', 'decodeUrl(str)',
  'number(arg)', 'abs(number)', 'floor(number)', 'ceil(number)', 'round(number, precision?)', 'power(base, exponent)', 'sqrt(number)',
  'random()', 'formatNumber(number, picture, options?)', 'formatBase(number, radix?)', 'formatInteger(number, picture)', 'parseInteger(str, picture)',
  'boolean(arg)', 'not(arg)', 'exists(arg)',
  'append(array1, array2)', 'sort(array, function?)', 'reverse(array)', 'shuffle(array)', 'distinct(array)', 'zip(array1, …)',
  'keys(object)', 'lookup(object, key)', 'spread(object)', 'merge(array<object>)', 'sift(object, function)', 'each(object, function)',
  'error(message)', 'assert(condition, message)', 'type(value)',
  'map(array, function)', 'filter(array, function)', 'single(array, function)', 'reduce(array, function, init?)',
  'now(picture?, timezone?)', 'millis()', 'fromMillis(number, picture?, timezone?)', 'toMillis(timestamp, picture?)',
];

export const JSONATA_FUNCTIONS: readonly JsonataFunction[] = SIGNATURES.map((s) => ({ name: `$${s.slice(0, s.indexOf('('))}`, signature: `$${s}` }));
