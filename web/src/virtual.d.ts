declare module 'virtual:tta-data' {
  const data: import('./data-types').BundledData;
  export default data;
}
