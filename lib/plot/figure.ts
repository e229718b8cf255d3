/**
 * A rendered figure: a standalone SVG string that displays inline in Jupyter (Deno kernel) and can
 * be saved to a file.
 */

import { dirname } from "node:path";

/** A standalone SVG chart. Displays inline in Jupyter; `save` writes it to a `.svg` file. */
export class Figure {
  /** The SVG document (with `xmlns`). */
  readonly svg: string;
  /** The figure's title, if any. */
  readonly title?: string;

  /** A figure of this SVG document and optional title. */
  constructor(svg: string, title?: string) {
    this.svg = svg;
    this.title = title;
  }

  /** Width in pixels, read from the root `<svg>`. */
  get width(): number {
    return Number(/^<svg[^>]*\swidth="([\d.]+)"/.exec(this.svg)?.[1] ?? NaN);
  }

  /** Height in pixels, read from the root `<svg>`. */
  get height(): number {
    return Number(/^<svg[^>]*\sheight="([\d.]+)"/.exec(this.svg)?.[1] ?? NaN);
  }

  /** The Deno Jupyter kernel calls this to display the figure inline. */
  [Symbol.for("Jupyter.display")](): Record<string, string> {
    return { "image/svg+xml": this.svg };
  }

  /** The SVG markup. */
  toString(): string {
    return this.svg;
  }

  /** Writes the SVG to `path` (creating parent directories) and returns the path. */
  async save(path: string): Promise<string> {
    const dir = dirname(path);
    if (dir && dir !== ".") await Deno.mkdir(dir, { recursive: true });
    await Deno.writeTextFile(path, this.svg);
    return path;
  }
}
