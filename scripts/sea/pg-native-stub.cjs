// Stands in for the optional pg-native binding inside the single executable, failing the way
// Node's require fails in the plain bundle, so node-postgres behaves the same in both.
const err = new Error("Cannot find module 'pg-native'");
err.code = 'MODULE_NOT_FOUND';
throw err;
