/**
 * @herald/dsl — the compiler as a library. No I/O beyond the injected CompilerHost:
 * the CLI, the runtime, tests and the language server all call this same code.
 */
export type { Diagnostic, Severity, Position, Range, Fix, RelatedLocation } from './diagnostics/diagnostic.js';
export { compareDiagnostics, hasErrors } from './diagnostics/diagnostic.js';
export { CODES, codeInfo, type CodeInfo } from './diagnostics/codes.js';
export { didYouMean, didYouMeanHint, editDistance } from './diagnostics/did-you-mean.js';
export { SourceFile, type Span } from './source/source-file.js';
export * from './model/ast.js';
export { T, typeToString, isAssignable, memberType, unifyTypes, type Type, type Field, type TypeKind } from './types/type.js';
export { parseDuration, formatDuration } from './types/parse-duration.js';
export { parseTypeSyntax, TYPE_NAMES } from './types/parse-type-syntax.js';
export { typeFromJsonSchema, typeToJsonSchema } from './types/from-json-schema.js';
export { subjectType, BUILTIN_SUBJECT_FIELDS } from './types/subject-type.js';
export * from './lower/ir.js';
export { stableStringify, contentHash } from './lower/stable-json.js';
export { DEFAULT_TIMEZONE_EXPR, POLICY_DEFAULTS } from './lower/lower-project.js';
export { FILE_SCHEMAS, SCHEMA_FILE_NAMES } from './schema/schemas.js';
export { MESSAGE_KINDS } from './schema/template-schema.js';
export { STEP_KIND_KEYS, stepSchemas } from './schema/journey-schema.js';
export { validatorFor, tryValidatorFor } from './schema/ajv-instance.js';
export { parseYamlFile, DEFAULT_LIMITS as YAML_LIMITS } from './parse/parse-yaml-file.js';
export { yamlNestsDeeperThan } from './parse/cst-depth.js';
export { formatFile, formatYaml, type FormatOptions } from './format/format-yaml.js';
export type { YNode, YMap, YSeq, YScalar, YEntry } from './parse/yaml-tree.js';
export { nodeAt, toJson, pointerToPath } from './parse/yaml-tree.js';
export { resolvePluginManifest, type PluginManifest, type ManifestResult } from './link/plugin-manifest.js';
export type { PathKind, ProjectModel, Symbols } from './link/symbols.js';
export { stepEdges } from './link/step-graph.js';
export { JOURNEY_META_TYPE } from './typecheck/journey-scope.js';
export { Project, type CompilerHost, type CheckResult, type CompileResult } from './project/project.js';
export { classifyFile, isYamlFile, type ProjectFileKind } from './project/classify-file.js';
export { isSkippedName, isSkippedPath, listProjectYamlFiles } from './project/project-files-on-disk.js';
export * as expr from './expr/index.js';
export {
  compileExpressionText,
  ExprCompileError,
  ExprRuntimeError,
  FUNCTIONS,
  type CompiledExpr,
  type EvalEnv,
} from './expr/index.js';
export * as template from './template/index.js';
export { RESERVED_NAMES } from './link/rules/rule-reserved-names.js';
export { renderTemplate, checkTemplate, templateVariablesAt } from './template/index.js';
export { formatPretty, type PrettyOptions } from './diagnostics/format-pretty.js';
export { formatSarif } from './diagnostics/format-sarif.js';
export { toMermaid } from './graph/to-mermaid.js';
export { toDot } from './graph/to-dot.js';
export { diffGraphs, type ChangedPart, type ChangeKind, type FieldChange, type GraphChange, type GraphDiff } from './graph/diff-graphs.js';
export { graphEdges, nodeLabel, type GraphEdge } from './graph/graph-model.js';
export { lowerProject } from './lower/lower-project.js';
export { IR_SCHEMA } from './lower/ir-schema.js';
export { readFileOrUndefined, isFolderOnDisk, isFileOnDisk, fileSizeOnDisk } from './project/node-host.js';
export { HERALD_PLUGINS } from './link/herald-plugins.js';
export { parseTime } from './types/parse-time.js';
export * from './testfile/journey-test.js';
export { readTestFile, type ReadTestFileResult, type TestFileChecks, type TestFileReference } from './testfile/read-test-file.js';
export { referenceProblems, type ProjectReference, type ReferenceProblem } from './testfile/check-project-references.js';
export { QUOTE_HINT } from './testfile/test-file-reader.js';
export { testFileDiagnostics } from './testfile/test-file-diagnostics.js';
export { TEST_FILE_SCHEMA } from './testfile/test-file-schema.js';
