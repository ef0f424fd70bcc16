// Reporter for one lane of `node scripts/run-tests.mjs all`: each test event as one JSON line, errors kept
// whole as data (name, message, stack, their own fields such as actual/expected, the cause chain), so that
// scripts/test-lanes.mjs can replay the events into node's own spec reporter as if it had run them itself.
export default async function* jsonLines(source) {
  for await (const event of source) yield JSON.stringify(event, errorsAsData) + '\n';
}

function errorsAsData(_key, value) {
  if (!(value instanceof Error)) return value;
  const data = { __error: true, name: value.name, message: value.message, stack: value.stack };
  for (const key of Object.keys(value)) data[key] = value[key];
  if (value.cause !== undefined) data.cause = value.cause;
  return data;
}
