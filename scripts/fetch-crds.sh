#!/usr/bin/env bash
# fetch-crds.sh fills a CRD cache (default ~/.cache/scia/crds) with the public
# CRDs that `scia validate` and the tests check rendered resources against:
# Crossplane's own kinds, the provider-upjet-aws kinds the renderer emits, and
# provider-kubernetes' Object and ProviderConfig. It needs internet access and
# curl; the project does not vendor these files.
#
# Usage: scripts/fetch-crds.sh [DEST]
# Refs (tags or commits) can be overridden with SCIA_CROSSPLANE_REF,
# SCIA_PROVIDER_AWS_REF and SCIA_PROVIDER_KUBERNETES_REF.
set -euo pipefail

dest="${1:-${HOME}/.cache/scia/crds}"
crossplane_ref="${SCIA_CROSSPLANE_REF:-v2.2.3}"
provider_aws_ref="${SCIA_PROVIDER_AWS_REF:-75a4c57}"
provider_kubernetes_ref="${SCIA_PROVIDER_KUBERNETES_REF:-350ef9a}"
raw="https://raw.githubusercontent.com"

crossplane_files=(
  apiextensions.crossplane.io_compositeresourcedefinitions.yaml
  apiextensions.crossplane.io_compositions.yaml
  apiextensions.crossplane.io_environmentconfigs.yaml
  ops.crossplane.io_operations.yaml
  ops.crossplane.io_watchoperations.yaml
  pkg.crossplane.io_configurations.yaml
  pkg.crossplane.io_deploymentruntimeconfigs.yaml
  pkg.crossplane.io_functions.yaml
  pkg.crossplane.io_providers.yaml
)
provider_aws_files=(
  acm.aws.m.upbound.io_certificates.yaml
  acm.aws.upbound.io_certificates.yaml
  apigatewayv2.aws.m.upbound.io_apis.yaml
  apigatewayv2.aws.m.upbound.io_integrations.yaml
  apigatewayv2.aws.m.upbound.io_routes.yaml
  apigatewayv2.aws.m.upbound.io_stages.yaml
  apigatewayv2.aws.upbound.io_apis.yaml
  apigatewayv2.aws.upbound.io_integrations.yaml
  apigatewayv2.aws.upbound.io_routes.yaml
  apigatewayv2.aws.upbound.io_stages.yaml
  appautoscaling.aws.m.upbound.io_policies.yaml
  appautoscaling.aws.upbound.io_policies.yaml
  autoscaling.aws.m.upbound.io_autoscalinggroups.yaml
  autoscaling.aws.m.upbound.io_policies.yaml
  autoscaling.aws.upbound.io_autoscalinggroups.yaml
  autoscaling.aws.upbound.io_policies.yaml
  aws.m.upbound.io_clusterproviderconfigs.yaml
  aws.m.upbound.io_providerconfigs.yaml
  aws.upbound.io_providerconfigs.yaml
  cloudwatch.aws.m.upbound.io_metricalarms.yaml
  cloudwatch.aws.upbound.io_metricalarms.yaml
  cloudwatchlogs.aws.m.upbound.io_groups.yaml
  cloudwatchlogs.aws.upbound.io_groups.yaml
  ec2.aws.m.upbound.io_instances.yaml
  ec2.aws.m.upbound.io_internetgateways.yaml
  ec2.aws.m.upbound.io_launchtemplates.yaml
  ec2.aws.m.upbound.io_routes.yaml
  ec2.aws.m.upbound.io_routetableassociations.yaml
  ec2.aws.m.upbound.io_routetables.yaml
  ec2.aws.m.upbound.io_securitygroupegressrules.yaml
  ec2.aws.m.upbound.io_securitygroupingressrules.yaml
  ec2.aws.m.upbound.io_securitygroups.yaml
  ec2.aws.m.upbound.io_subnets.yaml
  ec2.aws.m.upbound.io_vpcs.yaml
  ec2.aws.upbound.io_instances.yaml
  ec2.aws.upbound.io_internetgateways.yaml
  ec2.aws.upbound.io_launchtemplates.yaml
  ec2.aws.upbound.io_routes.yaml
  ec2.aws.upbound.io_routetableassociations.yaml
  ec2.aws.upbound.io_routetables.yaml
  ec2.aws.upbound.io_securitygroupegressrules.yaml
  ec2.aws.upbound.io_securitygroupingressrules.yaml
  ec2.aws.upbound.io_securitygroups.yaml
  ec2.aws.upbound.io_subnets.yaml
  ec2.aws.upbound.io_vpcs.yaml
  ecr.aws.m.upbound.io_repositories.yaml
  ecr.aws.upbound.io_repositories.yaml
  eks.aws.m.upbound.io_accessentries.yaml
  eks.aws.m.upbound.io_accesspolicyassociations.yaml
  eks.aws.m.upbound.io_addons.yaml
  eks.aws.m.upbound.io_clusterauths.yaml
  eks.aws.m.upbound.io_clusters.yaml
  eks.aws.m.upbound.io_nodegroups.yaml
  eks.aws.m.upbound.io_podidentityassociations.yaml
  eks.aws.upbound.io_accessentries.yaml
  eks.aws.upbound.io_accesspolicyassociations.yaml
  eks.aws.upbound.io_addons.yaml
  eks.aws.upbound.io_clusterauths.yaml
  eks.aws.upbound.io_clusters.yaml
  eks.aws.upbound.io_nodegroups.yaml
  eks.aws.upbound.io_podidentityassociations.yaml
  elasticache.aws.m.upbound.io_replicationgroups.yaml
  elasticache.aws.m.upbound.io_subnetgroups.yaml
  elasticache.aws.upbound.io_replicationgroups.yaml
  elasticache.aws.upbound.io_subnetgroups.yaml
  elbv2.aws.m.upbound.io_lblisteners.yaml
  elbv2.aws.m.upbound.io_lbs.yaml
  elbv2.aws.m.upbound.io_lbtargetgroupattachments.yaml
  elbv2.aws.m.upbound.io_lbtargetgroups.yaml
  elbv2.aws.upbound.io_lblisteners.yaml
  elbv2.aws.upbound.io_lbs.yaml
  elbv2.aws.upbound.io_lbtargetgroupattachments.yaml
  elbv2.aws.upbound.io_lbtargetgroups.yaml
  iam.aws.m.upbound.io_instanceprofiles.yaml
  iam.aws.m.upbound.io_policies.yaml
  iam.aws.m.upbound.io_rolepolicyattachments.yaml
  iam.aws.m.upbound.io_roles.yaml
  iam.aws.upbound.io_instanceprofiles.yaml
  iam.aws.upbound.io_policies.yaml
  iam.aws.upbound.io_rolepolicyattachments.yaml
  iam.aws.upbound.io_roles.yaml
  lambda.aws.m.upbound.io_functions.yaml
  lambda.aws.m.upbound.io_functionurls.yaml
  lambda.aws.m.upbound.io_permissions.yaml
  lambda.aws.upbound.io_functions.yaml
  lambda.aws.upbound.io_functionurls.yaml
  lambda.aws.upbound.io_permissions.yaml
  rds.aws.m.upbound.io_clusterinstances.yaml
  rds.aws.m.upbound.io_clusters.yaml
  rds.aws.m.upbound.io_instances.yaml
  rds.aws.m.upbound.io_subnetgroups.yaml
  rds.aws.upbound.io_clusterinstances.yaml
  rds.aws.upbound.io_clusters.yaml
  rds.aws.upbound.io_instances.yaml
  rds.aws.upbound.io_subnetgroups.yaml
)
provider_kubernetes_files=(
  kubernetes.crossplane.io_objects.yaml
  kubernetes.crossplane.io_providerconfigs.yaml
  kubernetes.m.crossplane.io_objects.yaml
  kubernetes.m.crossplane.io_providerconfigs.yaml
)

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

# resolve REPO REF prints REF, or the full commit SHA when REF is an abbreviated
# one (raw.githubusercontent.com serves tags, branches and full SHAs).
resolve() {
  local repo="$1" ref="$2"
  if [[ "$ref" =~ ^[0-9a-f]{7,39}$ ]]; then
    curl -fsSL --retry 3 "https://api.github.com/repos/$repo/commits/$ref" |
      sed -n 's/^  "sha": "\([0-9a-f]\{40\}\)",$/\1/p' | head -n 1
  else
    echo "$ref"
  fi
}

# fetch REPO REF SRC_DIR DEST_SUBDIR FILE... downloads each file and its LICENSE,
# refusing anything that is not a CustomResourceDefinition.
fetch() {
  local repo="$1" ref src="$3" sub="$4"
  ref="$(resolve "$1" "$2" || true)"
  [[ -n "$ref" ]] || { echo "fetch-crds: cannot resolve $repo@$2" >&2; exit 1; }
  shift 4
  mkdir -p "$tmp/$sub"
  curl -fsSL --retry 3 -o "$tmp/$sub/LICENSE" "$raw/$repo/$ref/LICENSE"
  for file in "$@"; do
    curl -fsSL --retry 3 -o "$tmp/$sub/$file" "$raw/$repo/$ref/$src/$file" ||
      { echo "fetch-crds: cannot download $repo@$ref $src/$file" >&2; exit 1; }
    grep -q '^kind: CustomResourceDefinition' "$tmp/$sub/$file" ||
      { echo "fetch-crds: $repo@$ref $src/$file is not a CRD" >&2; exit 1; }
  done
  echo "fetch-crds: $# CRDs from $repo@$ref"
}

fetch crossplane/crossplane "$crossplane_ref" cluster/crds crossplane-crds "${crossplane_files[@]}"
fetch crossplane-contrib/provider-upjet-aws "$provider_aws_ref" package/crds provider-aws-crds "${provider_aws_files[@]}"
fetch crossplane-contrib/provider-kubernetes "$provider_kubernetes_ref" package/crds provider-kubernetes-crds "${provider_kubernetes_files[@]}"

mkdir -p "$(dirname "$dest")"
rm -rf "$dest.new"
mv "$tmp" "$dest.new"
trap - EXIT
rm -rf "$dest"
mv "$dest.new" "$dest"
echo "fetch-crds: wrote $dest (read by default when ../shared/reference is absent; elsewhere set SCIA_CRD_DIR=$dest)"
