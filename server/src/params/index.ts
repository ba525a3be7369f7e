/**
 * Parameter values from the files users keep (samconfig, CloudFormation parameter files,
 * `--parameter-overrides` files), for the command line and the language server. Host side: reads files.
 */
export { SAMCONFIG_NAMES, describeSources, loadParameterValues } from './load';
export type { LoadParameterOptions, ParameterSource, ParameterValues } from './load';
export { DEFAULT_SAM_ENVIRONMENT, parseOverrides, parseSamconfig, readParameterData, readSamconfig } from './parse';
export type { ParamFileFormat, ParsedParams, SamconfigParams } from './parse';
