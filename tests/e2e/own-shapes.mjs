// Images of one's own for the e2e tests: three colour classes of simple
// shapes as 32×32 PNGs in torchvision's ImageFolder layout (and a note that
// is not an image), the same folder as a zip, and a zip of one class only.
// Written with Node's zlib alone: a PNG is zlib-deflated rows, a zip here
// stores its files as they are.
import { mkdirSync, rmSync, writeFileSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { crc32, deflateSync } from "node:zlib";

export const CLASSES = ["blue-triangle", "green-square", "red-circle"];
export const PER_CLASS = 60;

/** A seeded generator (xorshift32): the same images every time. */
function random(seed) {
  let state = seed >>> 0 || 1;
  return (n) => {
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return state % n;
  };
}

function chunk(type, data) {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, "latin1");
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])) >>> 0, 0);
  return Buffer.concat([head, data, crc]);
}

/** An 8-bit RGB PNG of `rgb` (width × height × 3 bytes). */
export function png(width, height, rgb) {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);
  const rows = Buffer.alloc(height * (1 + width * 3));
  for (let y = 0; y < height; y++) {
    rows[y * (1 + width * 3)] = 0;
    rgb.copy(rows, y * (1 + width * 3) + 1, y * width * 3, (y + 1) * width * 3);
  }
  const signature = Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]);
  return Buffer.concat([signature, chunk("IHDR", ihdr), chunk("IDAT", deflateSync(rows)), chunk("IEND", Buffer.alloc(0))]);
}

/** Image `i` of class `c`: its shape at a varying place and size and shade, on dark noise. */
export function shape(c, i) {
  const next = random(0x9e3779b9 ^ (c * 1000 + i + 1));
  const [cx, cy, r, shade] = [10 + next(12), 10 + next(12), 5 + next(5), 160 + next(96)];
  const rgb = Buffer.alloc(32 * 32 * 3);
  for (let y = 0; y < 32; y++) {
    for (let x = 0; x < 32; x++) {
      const [dx, dy] = [x - cx, y - cy];
      const inside = c === 0 ? dy <= r && dy >= -r && Math.abs(dx) * 2 <= dy + r : c === 1 ? Math.abs(dx) <= r && Math.abs(dy) <= r : dx * dx + dy * dy <= r * r;
      const noise = next(40);
      const at = (y * 32 + x) * 3;
      rgb.fill(noise, at, at + 3);
      if (inside) rgb[at + 2 - Math.min(c, 2)] = shade;
    }
  }
  return png(32, 32, rgb);
}

/** A zip of `files` ([name, bytes]), stored uncompressed. */
export function zip(files) {
  const locals = [];
  const centrals = [];
  let offset = 0;
  for (const [name, data] of files) {
    const nameBytes = Buffer.from(name, "utf8");
    const crc = crc32(data) >>> 0;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(nameBytes.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, nameBytes, data);
    centrals.push(central, nameBytes);
    offset += 30 + nameBytes.length + data.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(files.length, 8);
  end.writeUInt16LE(files.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

/** Every file under `dir`, as [path from dir's parent, bytes], sorted. */
function filesUnder(dir, base) {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const path = join(dir, name);
      return statSync(path).isDirectory() ? filesUnder(path, base) : [[relative(base, path), readFileSync(path)]];
    });
}

/** The shapes' class names as a Chinese reader names the folders. */
export const CLASSES_ZH = ["蓝色三角形", "绿色正方形", "红色圆形"];

/**
 * Writes `shapes/` (the folder), `shapes.zip` and `one-class.zip` under
 * `root`; `name` and `classes` name the folder and its class folders.
 */
export function writeShapes(root, { name = "shapes", classes = CLASSES } = {}) {
  const folder = join(root, name);
  rmSync(folder, { recursive: true, force: true });
  classes.forEach((name, c) => {
    mkdirSync(join(folder, name), { recursive: true });
    for (let i = 0; i < PER_CLASS; i++) writeFileSync(join(folder, name, `${String(i).padStart(3, "0")}.png`), shape(c, i));
  });
  writeFileSync(join(folder, classes[0], "notes.txt"), "drawn by a test");
  const files = filesUnder(folder, root);
  writeFileSync(join(root, `${name}.zip`), zip(files));
  writeFileSync(join(root, "one-class.zip"), zip(files.filter(([path]) => path.includes(classes[1]))));
  return { folder, zip: join(root, `${name}.zip`), oneClass: join(root, "one-class.zip") };
}

/** An IDX file (big-endian): images `[n, side, side]` (magic 2051) or labels `[n]` (2049). */
function idx(magic, dims, bytes) {
  const head = Buffer.alloc(4 + 4 * dims.length);
  head.writeUInt32BE(magic, 0);
  dims.forEach((d, k) => head.writeUInt32BE(d, 4 + 4 * k));
  return Buffer.concat([head, bytes]);
}

/** Letter `c` of 26, example `i`: a bright block at the letter's place on a 28×28 grid (a 6×5 layout, shifted a pixel or two). */
function letter(c, i) {
  const next = random(0x51ed270b ^ (c * 997 + i + 1));
  const image = Buffer.alloc(28 * 28);
  const [x0, y0] = [1 + (c % 6) * 4 + next(2), 1 + Math.floor(c / 6) * 5 + next(2)];
  for (let y = 0; y < 28; y++) for (let x = 0; x < 28; x++) image[y * 28 + x] = next(30);
  for (let y = y0; y < y0 + 4; y++) for (let x = x0; x < x0 + 4; x++) image[y * 28 + x] = 200 + next(56);
  return image;
}

export const LETTERS = [..."abcdefghijklmnopqrstuvwxyz"];

/** A synthetic 26-class set in EMNIST letters' files (IDX, not gzipped), `train` and `test` examples a class, with classes.txt. */
export function writeLetters(root, train = 12, test = 4) {
  const folder = join(root, "letters");
  rmSync(folder, { recursive: true, force: true });
  mkdirSync(folder, { recursive: true });
  const set = (per, offset) => {
    const images = [];
    const labels = [];
    for (let i = 0; i < per; i++) {
      for (let c = 0; c < LETTERS.length; c++) {
        images.push(letter(c, offset + i));
        labels.push(c);
      }
    }
    return [idx(2051, [labels.length, 28, 28], Buffer.concat(images)), idx(2049, [labels.length], Buffer.from(labels))];
  };
  const [trainImages, trainLabels] = set(train, 0);
  const [testImages, testLabels] = set(test, 1000);
  writeFileSync(join(folder, "emnist-letters-train-images-idx3-ubyte"), trainImages);
  writeFileSync(join(folder, "emnist-letters-train-labels-idx1-ubyte"), trainLabels);
  writeFileSync(join(folder, "emnist-letters-test-images-idx3-ubyte"), testImages);
  writeFileSync(join(folder, "emnist-letters-test-labels-idx1-ubyte"), testLabels);
  writeFileSync(join(folder, "classes.txt"), LETTERS.join("\n") + "\n");
  return { folder };
}
