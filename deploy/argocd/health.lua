-- Argo CD health of a SCIA Deployment (deployments.scia.io, the claim or the
-- v2 XR): from status.phase, confirmed by the Ready and Synced conditions.
--   Failed, or Synced False (a Fatal result: nothing applied)  -> Degraded
--   Running and Ready True                                    -> Healthy
--   Pending, Analyzing, Deciding, Provisioning, no status yet -> Progressing
local hs = {}

local function condition(kind)
  if obj.status == nil or obj.status.conditions == nil then
    return nil
  end
  for _, c in ipairs(obj.status.conditions) do
    if c.type == kind then
      return c
    end
  end
  return nil
end

local function says(c, fallback)
  if c ~= nil and c.message ~= nil and c.message ~= "" then
    return c.message
  end
  if obj.status ~= nil and obj.status.message ~= nil and obj.status.message ~= "" then
    return obj.status.message
  end
  return fallback
end

if obj.status == nil then
  hs.status = "Progressing"
  hs.message = "Waiting for SCIA to analyse the repository"
  return hs
end

local phase = obj.status.phase
local ready = condition("Ready")
local synced = condition("Synced")

if phase == "Failed" then
  hs.status = "Degraded"
  hs.message = says(ready, "The deployment failed")
  return hs
end
if synced ~= nil and synced.status == "False" then
  hs.status = "Degraded"
  hs.message = says(synced, "The composition cannot be applied")
  return hs
end
if ready ~= nil and ready.status == "True" and (phase == nil or phase == "Running") then
  hs.status = "Healthy"
  hs.message = "Running"
  return hs
end
hs.status = "Progressing"
if phase ~= nil then
  hs.message = phase .. ": " .. says(ready, "in progress")
else
  hs.message = says(ready, "Waiting for the composed resources")
end
return hs
