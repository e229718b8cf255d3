/**
 * Plots for notebooks: every function returns a {@link Figure}, a standalone SVG that the Deno
 * Jupyter kernel displays inline and that `save()` writes to a file. The open door is
 * {@link renderPlot}: any Observable Plot specification (marks and options) rendered to SVG.
 *
 * @module
 */

export { Figure } from "./figure.ts";
export {
  frontHasGaps,
  type FrontOptions,
  type FrontSeries,
  isometric,
  plotFront,
  plotFront2D,
  plotFront3D,
  plotFrontProjection,
  plotParallel,
  type TruthStyle,
} from "./fronts.ts";
export {
  aggregateRuns,
  type ConvergenceInput,
  type Curve,
  type CurveOptions,
  type CurveSeries,
  plotConvergence,
  type RunsSeries,
} from "./curves.ts";
export {
  categoricalColors,
  type ComposeOptions,
  composeSvg,
  type LayoutOptions,
  type LegendItem,
  type LegendSymbol,
  type PlacedPanel,
  type PlotOptions,
  type RenderedPanel,
  renderLayout,
  renderPanel,
  renderPlot,
} from "./render.ts";
export { type AgreementOptions, type AgreementSeries, plotAgreement } from "./agreement.ts";
