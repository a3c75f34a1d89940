declare module 'pgpass/lib/helper.js' {
  const helper: unknown;
  export default helper;
}
