/**
 * Forms objects are stored in that no served version has (as upstream keeps them); importing this registers them
 * with `versionedStorage`.
 */
import './customresourcedefinition-v1beta1.ts';
