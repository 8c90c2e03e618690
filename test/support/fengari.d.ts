// The parts of fengari (a Lua 5.3 interpreter in JavaScript) the tests use: types only,
// the module itself is loaded with require (it is CommonJS).
declare module 'fengari' {
  export type LuaState = { readonly __lua_state: unique symbol };
  type LuaString = Uint8Array;
  export interface Fengari {
    to_luastring(this: void, s: string): LuaString;
    to_jsstring(s: LuaString): string;
    lua: {
      LUA_OK: number;
      LUA_TTABLE: number;
      LUA_TSTRING: number;
      lua_newtable(L: LuaState): void;
      lua_pushstring(L: LuaState, s: LuaString): void;
      lua_pushnumber(L: LuaState, n: number): void;
      lua_pushboolean(L: LuaState, b: boolean): void;
      lua_setfield(L: LuaState, index: number, k: LuaString): void;
      lua_rawseti(L: LuaState, index: number, i: number): void;
      lua_setglobal(L: LuaState, name: LuaString): void;
      lua_getfield(L: LuaState, index: number, k: LuaString): number;
      lua_tojsstring(L: LuaState, index: number): string | null;
      lua_type(L: LuaState, index: number): number;
      lua_pop(L: LuaState, n: number): void;
      lua_pcall(L: LuaState, nargs: number, nresults: number, msgh: number): number;
    };
    lauxlib: {
      luaL_newstate(): LuaState;
      luaL_loadstring(L: LuaState, s: LuaString): number;
    };
    lualib: { luaL_openlibs(L: LuaState): void };
  }
}
