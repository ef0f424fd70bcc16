// The ml-apps forms' grid (a label column and an input column) and error line: the shared kit's, as they are.
export { FormGrid as Form, FormError } from '@ks-gpu-ml/ui';
