/**
 * The harness every script runs through. It is evaluated before any user code runs, so it holds the original
 * `JSON` and `Reflect`: whatever the script later does to the globals, arguments go in and results come out as
 * JSON made by the real functions.
 */

export const HARNESS_FILE = 'causeway-harness.js';

/**
 * Given the user's function and the text it must have, it returns the runner: JSON arguments in, `'v' + JSON` or
 * `'u'` (undefined) or `'!' + reason` (not JSON) out. A source that closes the function early and runs code around
 * it is refused (null).
 */
export const HARNESS = `(function () {
  const parse = JSON.parse, stringify = JSON.stringify, apply = Reflect.apply;
  const toText = Function.prototype.toString;
  const plain = function (key, value) {
    const t = typeof value;
    if (t === 'function' || t === 'symbol') throw new TypeError((key === '' ? 'the result' : '"' + key + '"') + ' is a ' + t);
    return value;
  };
  return function (fn, expected) {
    if (typeof fn !== 'function' || apply(toText, fn, []) !== expected) return null;
    return function (argsJson) {
      const value = apply(fn, undefined, parse(argsJson));
      if (value === undefined) return 'u';
      if (value instanceof Promise) return '!the result is a Promise: return the value itself';
      let json;
      try {
        json = stringify(value, plain);
      } catch (e) {
        if (e instanceof InternalError) throw e;
        return '!' + (e && e.message ? e.message : String(e));
      }
      return json === undefined ? '!the result is not JSON' : 'v' + json;
    };
  };
})()`;
