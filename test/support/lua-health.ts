import { createRequire } from 'node:module';
import type { Fengari, LuaState } from 'fengari';

// fengari is CommonJS with no types of its own (see fengari.d.ts).
const fengari = createRequire(import.meta.url)('fengari') as Fengari;

const { lua, lauxlib, lualib } = fengari;
const to_luastring = (s: string): Uint8Array => fengari.to_luastring(s);

/** Health is what an Argo CD health script returns. */
export interface Health {
  status: string;
  message: string;
}

/**
 * runHealthScript runs an Argo CD resource health script the way Argo CD
 * does: in a fresh Lua state with the resource as the global `obj`, the
 * script's returned table read for `status` and `message`.
 */
export function runHealthScript(script: string, obj: unknown): Health {
  const L = lauxlib.luaL_newstate();
  lualib.luaL_openlibs(L);
  push(L, obj);
  lua.lua_setglobal(L, to_luastring('obj'));
  if (lauxlib.luaL_loadstring(L, to_luastring(script)) !== lua.LUA_OK || lua.lua_pcall(L, 0, 1, 0) !== lua.LUA_OK) {
    throw new Error(`cannot run the health script: ${lua.lua_tojsstring(L, -1) ?? 'unknown error'}`);
  }
  if (lua.lua_type(L, -1) !== lua.LUA_TTABLE) throw new Error('cannot read the health script result: not a table');
  const field = (name: string): string => {
    lua.lua_getfield(L, -1, to_luastring(name));
    const value = lua.lua_type(L, -1) === lua.LUA_TSTRING ? (lua.lua_tojsstring(L, -1) ?? '') : '';
    lua.lua_pop(L, 1);
    return value;
  };
  return { status: field('status'), message: field('message') };
}

/** push converts JSON to Lua as Argo CD's gopher-lua bridge does: objects and arrays to tables (arrays from 1). */
function push(L: LuaState, value: unknown): void {
  if (Array.isArray(value)) {
    lua.lua_newtable(L);
    value.forEach((v, i) => {
      push(L, v);
      lua.lua_rawseti(L, -2, i + 1);
    });
  } else if (typeof value === 'object' && value !== null) {
    lua.lua_newtable(L);
    for (const [k, v] of Object.entries(value)) {
      if (v === null || v === undefined) continue; // nil: the key is absent
      push(L, v);
      lua.lua_setfield(L, -2, to_luastring(k));
    }
  } else if (typeof value === 'string') lua.lua_pushstring(L, to_luastring(value));
  else if (typeof value === 'number') lua.lua_pushnumber(L, value);
  else if (typeof value === 'boolean') lua.lua_pushboolean(L, value);
  else throw new Error(`cannot pass ${String(value)} to Lua`);
}
