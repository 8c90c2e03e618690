import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import protobuf from 'protobufjs';

// A tiny sentence-embedding model in the layout @huggingface/transformers loads
// with local files only: `<dir>/<model>/config.json`, `tokenizer.json`,
// `tokenizer_config.json` and `onnx/model.onnx` (fp32) + `onnx/model_quantized.onnx` (q8).
// The network is one embedding lookup: last_hidden_state[b, s] =
// (word[input_ids[b, s]] + token_type[token_type_ids[b, s]]) * attention_mask[b, s],
// with fixed pseudo-random weights, so texts sharing tokens share vector parts.

/** TINY_MODEL is the id the generated model is stored under. */
export const TINY_MODEL = 'scia-test/tiny-wordpiece-384';
export const TINY_DIMENSIONS = 384;

const SPECIALS = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]'];
const PUNCTUATION = [...'!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~'];
const CHARS = [...'abcdefghijklmnopqrstuvwxyz0123456789'];
const WORDS = `flask python django fastapi node express spring boot java kotlin go rust ruby rails php laravel dotnet
  react vue angular api rest grpc graphql server service web app mobile worker queue cron batch postgresql postgres
  mysql redis kafka rabbitmq mongodb elasticsearch s3 billing payment auth user request http https database cache
  storage vm container serverless lambda ecs eks kubernetes function region us east west eu budget cost low high
  small large traffic latency team the an and for of to with in on is it ##s ##es ##ed ##ing ##er ##ly`
  .split(/\s+/).filter((w) => /^(##)?[a-z0-9]+$/.test(w));

/** TINY_VOCAB is the WordPiece vocabulary, in id order. */
export const TINY_VOCAB: readonly string[] = [...new Set([...SPECIALS, ...PUNCTUATION, ...CHARS, ...CHARS.map((c) => `##${c}`), ...WORDS])];

/** TinyModel is a generated model: `dir` is the transformers.js localModelPath, `model` the id under it. */
export interface TinyModel {
  dir: string;
  model: string;
}

/** writeTinyModel generates the model under `root` (a new temporary directory by default). */
export function writeTinyModel(root: string = mkdtempSync(join(tmpdir(), 'scia-tiny-model-'))): TinyModel {
  const dir = join(root, ...TINY_MODEL.split('/'));
  mkdirSync(join(dir, 'onnx'), { recursive: true });
  const json = (name: string, value: unknown): void => writeFileSync(join(dir, name), `${JSON.stringify(value, null, 2)}\n`);
  json('config.json', {
    architectures: ['BertModel'], model_type: 'bert', hidden_size: TINY_DIMENSIONS, vocab_size: TINY_VOCAB.length,
    type_vocab_size: 2, max_position_embeddings: 512, pad_token_id: 0,
  });
  json('tokenizer.json', tokenizerJson());
  json('tokenizer_config.json', {
    tokenizer_class: 'BertTokenizer', do_lower_case: true, tokenize_chinese_chars: true, strip_accents: null, model_max_length: 512,
    clean_up_tokenization_spaces: true, cls_token: '[CLS]', sep_token: '[SEP]', pad_token: '[PAD]', unk_token: '[UNK]', mask_token: '[MASK]',
  });
  writeFileSync(join(dir, 'onnx', 'model.onnx'), onnxModel('fp32'));
  writeFileSync(join(dir, 'onnx', 'model_quantized.onnx'), onnxModel('q8'));
  return { dir: root, model: TINY_MODEL };
}

/**
 * tinyVector is what mean pooling and L2 normalization of the model's output
 * give for `tokens` (after tokenization, [CLS] and [SEP] included), worked out
 * here from the weights rather than by running the model.
 */
export function tinyVector(tokens: readonly string[], dtype: 'q8' | 'fp32'): number[] {
  const words = dtype === 'q8' ? dequantize(quantize(wordWeights())) : wordWeights();
  const types = typeWeights();
  const sum = new Array<number>(TINY_DIMENSIONS).fill(0);
  for (const token of tokens) {
    const id = TINY_VOCAB.indexOf(token);
    if (id < 0) throw new Error(`cannot find ${token} in the tiny vocabulary`);
    for (let j = 0; j < TINY_DIMENSIONS; j++) sum[j] = (sum[j] ?? 0) + (words[id * TINY_DIMENSIONS + j] ?? 0) + (types[j] ?? 0);
  }
  const norm = Math.hypot(...sum);
  return sum.map((x) => x / norm);
}

function tokenizerJson(): unknown {
  const special = (content: string): object => ({
    id: TINY_VOCAB.indexOf(content), content, single_word: false, lstrip: false, rstrip: false, normalized: false, special: true,
  });
  const piece = (id: string, typeId: number): object => ({ SpecialToken: { id, type_id: typeId } });
  const seq = (id: 'A' | 'B', typeId: number): object => ({ Sequence: { id, type_id: typeId } });
  const specialEntry = (t: string): [string, object] => [t, { id: t, ids: [TINY_VOCAB.indexOf(t)], tokens: [t] }];
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: SPECIALS.map(special),
    normalizer: { type: 'BertNormalizer', clean_text: true, handle_chinese_chars: true, strip_accents: null, lowercase: true },
    pre_tokenizer: { type: 'BertPreTokenizer' },
    post_processor: {
      type: 'TemplateProcessing',
      single: [piece('[CLS]', 0), seq('A', 0), piece('[SEP]', 0)],
      pair: [piece('[CLS]', 0), seq('A', 0), piece('[SEP]', 0), seq('B', 1), piece('[SEP]', 1)],
      special_tokens: Object.fromEntries(['[CLS]', '[SEP]'].map(specialEntry)),
    },
    decoder: { type: 'WordPiece', prefix: '##', cleanup: true },
    model: {
      type: 'WordPiece', unk_token: '[UNK]', continuing_subword_prefix: '##', max_input_chars_per_word: 100,
      vocab: Object.fromEntries(TINY_VOCAB.map((t, i) => [t, i])),
    },
  };
}

// Weights: uniform in [-1, 1) from a seeded mulberry32 stream, the same on every run.
function uniform(seed: number, n: number, scale: number): Float32Array {
  const out = new Float32Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    out[i] = ((((t ^ (t >>> 14)) >>> 0) / 2 ** 32) * 2 - 1) * scale;
  }
  return out;
}

const wordWeights = (): Float32Array => uniform(0x5c1a, TINY_VOCAB.length * TINY_DIMENSIONS, 1);
const typeWeights = (): Float32Array => uniform(0x7e9e, 2 * TINY_DIMENSIONS, 0.05);

interface Quantized { data: Uint8Array; scale: number; zeroPoint: number }

/** quantize is per-tensor asymmetric uint8, as ONNX DequantizeLinear reads it back. */
function quantize(w: Float32Array): Quantized {
  const lo = w.reduce((m, x) => Math.min(m, x), 0);
  const hi = w.reduce((m, x) => Math.max(m, x), 0);
  const scale = Math.fround((hi - lo) / 255);
  const zeroPoint = Math.round(-lo / scale);
  const data = Uint8Array.from(w, (x) => Math.min(255, Math.max(0, Math.round(x / scale) + zeroPoint)));
  return { data, scale, zeroPoint };
}

function dequantize(q: Quantized): Float32Array {
  return Float32Array.from(q.data, (x) => Math.fround((x - q.zeroPoint) * q.scale));
}

// ONNX, encoded from the subset of onnx.proto this model needs (IR version 7, opset 13).
const ONNX_PROTO = `syntax = "proto2";
package onnx;
message ModelProto { optional int64 ir_version = 1; optional string producer_name = 2; optional GraphProto graph = 7; repeated OperatorSetIdProto opset_import = 8; }
message OperatorSetIdProto { optional string domain = 1; optional int64 version = 2; }
message GraphProto { repeated NodeProto node = 1; optional string name = 2; repeated TensorProto initializer = 5; repeated ValueInfoProto input = 11; repeated ValueInfoProto output = 12; }
message NodeProto { repeated string input = 1; repeated string output = 2; optional string name = 3; optional string op_type = 4; repeated AttributeProto attribute = 5; }
message AttributeProto { optional string name = 1; optional int64 i = 3; optional int32 type = 20; }
message TensorProto { repeated int64 dims = 1; optional int32 data_type = 2; optional string name = 8; optional bytes raw_data = 9; }
message ValueInfoProto { optional string name = 1; optional TypeProto type = 2; }
message TypeProto { message Tensor { optional int32 elem_type = 1; optional TensorShapeProto shape = 2; } optional Tensor tensor_type = 1; }
message TensorShapeProto { message Dimension { optional int64 dim_value = 1; optional string dim_param = 2; } repeated Dimension dim = 1; }
`;
const FLOAT = 1;
const UINT8 = 2;
const INT64 = 7;
const ATTRIBUTE_INT = 2;

function onnxModel(dtype: 'q8' | 'fp32'): Uint8Array {
  const tokens = ['batch_size', 'sequence_length'];
  const graph = {
    name: 'tiny_wordpiece_384',
    node: graphNodes(dtype),
    initializer: initializers(dtype),
    input: ['input_ids', 'attention_mask', 'token_type_ids'].map((n) => valueInfo(n, INT64, tokens)),
    output: [valueInfo('last_hidden_state', FLOAT, [...tokens, TINY_DIMENSIONS])],
  };
  const ModelProto = protobuf.parse(ONNX_PROTO, { keepCase: true }).root.lookupType('onnx.ModelProto');
  const model = { ir_version: 7, producer_name: 'scia-test', graph, opset_import: [{ domain: '', version: 13 }] };
  const problem = ModelProto.verify(model);
  if (problem !== null) throw new Error(`cannot encode the tiny ONNX model: ${problem}`);
  return ModelProto.encode(ModelProto.fromObject(model)).finish();
}

function initializers(dtype: 'q8' | 'fp32'): object[] {
  const tensor = (name: string, dataType: number, dims: number[], raw: ArrayBufferView): object => ({
    name, data_type: dataType, dims, raw_data: new Uint8Array(raw.buffer, raw.byteOffset, raw.byteLength),
  });
  const table = [TINY_VOCAB.length, TINY_DIMENSIONS];
  const words = wordWeights();
  const q = quantize(words);
  return [
    tensor('token_type_embeddings', FLOAT, [2, TINY_DIMENSIONS], typeWeights()),
    tensor('unsqueeze_axes', INT64, [1], BigInt64Array.of(2n)),
    ...(dtype === 'fp32'
      ? [tensor('word_embeddings', FLOAT, table, words)]
      : [
          tensor('word_embeddings_quantized', UINT8, table, q.data),
          tensor('word_embeddings_scale', FLOAT, [], Float32Array.of(q.scale)),
          tensor('word_embeddings_zero_point', UINT8, [], Uint8Array.of(q.zeroPoint)),
        ]),
  ];
}

function graphNodes(dtype: 'q8' | 'fp32'): object[] {
  const node = (opType: string, input: string[], output: string, attribute: object[] = []): object => ({ op_type: opType, name: output, input, output: [output], attribute });
  const int = (name: string, i: number): object => ({ name, i, type: ATTRIBUTE_INT });
  const dequantize = ['word_embeddings_quantized', 'word_embeddings_scale', 'word_embeddings_zero_point'];
  return [
    ...(dtype === 'fp32' ? [] : [node('DequantizeLinear', dequantize, 'word_embeddings')]),
    node('Gather', ['word_embeddings', 'input_ids'], 'words', [int('axis', 0)]),
    node('Gather', ['token_type_embeddings', 'token_type_ids'], 'types', [int('axis', 0)]),
    node('Add', ['words', 'types'], 'embeddings'),
    node('Cast', ['attention_mask'], 'mask', [int('to', FLOAT)]),
    node('Unsqueeze', ['mask', 'unsqueeze_axes'], 'mask_3d'),
    node('Mul', ['embeddings', 'mask_3d'], 'last_hidden_state'),
  ];
}

function valueInfo(name: string, elemType: number, dims: (string | number)[]): object {
  const dim = dims.map((d) => (typeof d === 'number' ? { dim_value: d } : { dim_param: d }));
  return { name, type: { tensor_type: { elem_type: elemType, shape: { dim } } } };
}
