/** The JSON types a structural schema may name. */
export type StructuralType = 'object' | 'array' | 'string' | 'integer' | 'number' | 'boolean';

/**
 * A Kubernetes structural OpenAPI v3 schema (apiextensions.k8s.io/v1 `JSONSchemaProps`),
 * limited to what Spacekit emits. Kept local because the client library's model
 * renames keywords (`_default`, `xKubernetesIntOrString`), so plain manifests do not fit it.
 */
export interface StructuralSchema {
  type?: StructuralType;
  format?: string;
  title?: string;
  description?: string;
  nullable?: boolean;
  enum?: unknown[];
  default?: unknown;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: boolean;
  exclusiveMaximum?: boolean;
  multipleOf?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  minItems?: number;
  maxItems?: number;
  minProperties?: number;
  maxProperties?: number;
  properties?: Record<string, StructuralSchema>;
  additionalProperties?: StructuralSchema;
  items?: StructuralSchema;
  required?: string[];
  anyOf?: StructuralSchema[];
  'x-kubernetes-int-or-string'?: true;
  'x-kubernetes-preserve-unknown-fields'?: true;
}

/** A column `kubectl get` prints for a custom resource. */
export interface PrinterColumn {
  name: string;
  type: 'string' | 'integer' | 'number' | 'boolean' | 'date';
  jsonPath: string;
  description?: string;
  priority?: number;
}

/** One served version of a custom resource. */
export interface CustomResourceDefinitionVersion {
  name: string;
  served: boolean;
  storage: boolean;
  schema: { openAPIV3Schema: StructuralSchema };
  subresources?: { status: Record<string, never> };
  additionalPrinterColumns: PrinterColumn[];
}

/** An apiextensions.k8s.io/v1 CustomResourceDefinition, as a plain manifest. */
export interface CustomResourceDefinition {
  apiVersion: 'apiextensions.k8s.io/v1';
  kind: 'CustomResourceDefinition';
  metadata: { name: string; labels: Record<string, string> };
  spec: {
    group: string;
    names: {
      kind: string;
      listKind: string;
      plural: string;
      singular: string;
      shortNames?: string[];
      categories: string[];
    };
    scope: 'Cluster' | 'Namespaced';
    versions: CustomResourceDefinitionVersion[];
  };
}
