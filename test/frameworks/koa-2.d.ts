// Koa 2, installed as the alias 'koa-2' beside Koa 3, has no types of its own: @types/koa describes both.
declare module 'koa-2' {
  import Koa from 'koa';
  export default Koa;
}
