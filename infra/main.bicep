// Samhandling: one environment on Azure. The runbook is docs/deploy.md; test/deploy/infra.test.ts
// checks this file's app settings against the configuration schema (src/config.ts), since no
// Bicep compiler runs where the app is built and tested.
//
//   az deployment group create -g <resource group> -f infra/main.bicep -p infra/main.bicepparam
//
// What it makes: a user-assigned managed identity (the bot's identity, and the app's for Cosmos DB
// and Key Vault); a Linux App Service plan and web app (Node 20, at least two instances, health
// check on /readyz); an Azure Bot using that identity with the Teams channel only; Cosmos DB for
// NoSQL in Norway East, keyless, with continuous backup; Log Analytics and Application Insights;
// a Key Vault holding NUDGE_RUN_KEY.

targetScope = 'resourceGroup'

@description('Short name of this environment, part of every resource name, e.g. "samhandling-prod" (lower case letters, digits, hyphens).')
@minLength(3)
@maxLength(20)
param name string

@description('Region of the app, its logs and its Key Vault. Cosmos DB is always in Norway East (see cosmosRegion).')
param location string = resourceGroup().location

@description('The Entra tenant of the bot\'s identity and of the people who use the tab.')
param tenantId string = tenant().tenantId

@description('The host name people and Teams reach the app on (a custom domain bound to the web app); empty: <web app>.azurewebsites.net.')
param publicHostName string = ''

@description('Entra object ids of the first admins, comma-separated (ADMIN_AAD_IDS).')
param adminAadIds string

@description('Bearer key for POST /api/nudges/run (NUDGE_RUN_KEY), at least 32 random characters; kept in Key Vault.')
@secure()
@minLength(32)
param nudgeRunKey string

@description('Client id of the Entra app registration that exposes the tab\'s SSO API (TAB_SSO_CLIENT_ID; a managed identity cannot expose one; docs/deploy.md); empty until it exists. Build the Teams package with the same TAB_SSO_CLIENT_ID.')
param tabSsoClientId string = ''

@description('The manifest id the Teams package was built with (TEAMS_APP_ID); empty: the bot\'s id, as npm run package defaults it.')
param teamsAppId string = ''

@description('App Service plan size. Premium v3 keeps two warm instances with room for the nudge runs.')
param appServiceSku string = 'P0v3'

@description('Instances of the web app: at least two, so that one can be taken out of rotation (health check) or restarted while the other answers.')
@minValue(2)
@maxValue(10)
param instanceCount int = 2

@description('Autoscale ceiling of the Cosmos DB container in RU/s (it scales between a tenth of this and this).')
@minValue(1000)
param cosmosMaxThroughput int = 1000

@description('Point-in-time restore window of Cosmos DB\'s continuous backup.')
@allowed([
  'Continuous7Days'
  'Continuous30Days'
])
param cosmosBackupTier string = 'Continuous30Days'

@description('Days the Log Analytics workspace keeps logs and telemetry.')
@minValue(30)
@maxValue(730)
param logRetentionDays int = 30

// Norwegian public-sector data stays in Norway: the store's region is fixed, whatever `location` says.
var cosmosRegion = 'norwayeast'
// The configuration's defaults (COSMOS_DATABASE, COSMOS_CONTAINER in src/config.ts): the same names
// locally and here, so a backup imports into either without renaming.
var cosmosDatabaseName = 'samhandling'
var cosmosContainerName = 'process'

var suffix = uniqueString(resourceGroup().id, name)
var appName = 'app-${name}-${suffix}'
var hostName = empty(publicHostName) ? '${appName}.azurewebsites.net' : publicHostName

// Built-in roles: Cosmos DB Built-in Data Contributor (data plane, per account) and Key Vault Secrets User.
var cosmosDataContributorRoleId = '00000000-0000-0000-0000-000000000002'
var keyVaultSecretsUserRoleId = '4633458b-17de-408a-b874-0445c86b69e6'

// ── Identity ────────────────────────────────────────────────────────────────────────────────────

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: 'id-${name}'
  location: location
}

// ── Logs and telemetry ──────────────────────────────────────────────────────────────────────────

resource logs 'Microsoft.OperationalInsights/workspaces@2023-09-01' = {
  name: 'log-${name}'
  location: location
  properties: {
    sku: {
      name: 'PerGB2018'
    }
    retentionInDays: logRetentionDays
  }
}

resource appInsights 'Microsoft.Insights/components@2020-02-02' = {
  name: 'appi-${name}'
  location: location
  kind: 'web'
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: logs.id
    IngestionMode: 'LogAnalytics'
  }
}

// ── Cosmos DB for NoSQL ─────────────────────────────────────────────────────────────────────────

resource cosmos 'Microsoft.DocumentDB/databaseAccounts@2024-11-15' = {
  name: toLower('cosmos-${name}-${suffix}')
  location: cosmosRegion
  kind: 'GlobalDocumentDB'
  properties: {
    databaseAccountOfferType: 'Standard'
    locations: [
      {
        locationName: cosmosRegion
        failoverPriority: 0
        isZoneRedundant: false
      }
    ]
    // Every write is a single-document replace guarded by its etag: session consistency is enough.
    consistencyPolicy: {
      defaultConsistencyLevel: 'Session'
    }
    // No keys: only Entra ID identities with a data-plane role reach the data.
    disableLocalAuth: true
    disableKeyBasedMetadataWriteAccess: true
    minimalTlsVersion: 'Tls12'
    backupPolicy: {
      type: 'Continuous'
      continuousModeProperties: {
        tier: cosmosBackupTier
      }
    }
  }
}

resource cosmosDatabase 'Microsoft.DocumentDB/databaseAccounts/sqlDatabases@2024-11-15' = {
  parent: cosmos
  name: cosmosDatabaseName
  properties: {
    resource: {
      id: cosmosDatabaseName
    }
  }
}

// The app cannot create these keyless (a data-plane role has no right to), so they are made here.
resource cosmosContainer 'Microsoft.DocumentDB/databaseAccounts/sqlDatabases/containers@2024-11-15' = {
  parent: cosmosDatabase
  name: cosmosContainerName
  properties: {
    resource: {
      id: cosmosContainerName
      partitionKey: {
        paths: [
          '/partition'
        ]
        kind: 'Hash'
        version: 2
      }
    }
    options: {
      autoscaleSettings: {
        maxThroughput: cosmosMaxThroughput
      }
    }
  }
}

resource cosmosDataRole 'Microsoft.DocumentDB/databaseAccounts/sqlRoleAssignments@2024-11-15' = {
  parent: cosmos
  name: guid(cosmos.id, identity.id, cosmosDataContributorRoleId)
  properties: {
    roleDefinitionId: '${cosmos.id}/sqlRoleDefinitions/${cosmosDataContributorRoleId}'
    principalId: identity.properties.principalId
    scope: cosmos.id
  }
}

// ── Key Vault ───────────────────────────────────────────────────────────────────────────────────

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: 'kv-${suffix}'
  location: location
  properties: {
    tenantId: tenantId
    sku: {
      family: 'A'
      name: 'standard'
    }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 90
    enablePurgeProtection: true
  }
}

// Secret names take no underscores: NUDGE_RUN_KEY is kept as nudge-run-key.
resource nudgeRunKeySecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: vault
  name: 'nudge-run-key'
  properties: {
    value: nudgeRunKey
    contentType: 'Bearer key for POST /api/nudges/run (NUDGE_RUN_KEY)'
  }
}

// Read access to this one secret only, not to the whole vault.
resource nudgeRunKeyReader 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(nudgeRunKeySecret.id, identity.id, keyVaultSecretsUserRoleId)
  scope: nudgeRunKeySecret
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', keyVaultSecretsUserRoleId)
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

// ── App Service ─────────────────────────────────────────────────────────────────────────────────

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: 'plan-${name}'
  location: location
  kind: 'linux'
  sku: {
    name: appServiceSku
    capacity: instanceCount
  }
  properties: {
    reserved: true
  }
}

resource app 'Microsoft.Web/sites@2024-04-01' = {
  name: appName
  location: location
  kind: 'app,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identity.id}': {}
    }
  }
  // The identity must be able to read the store and the secret before the first instance starts.
  dependsOn: [
    cosmosDataRole
    nudgeRunKeyReader
  ]
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    // Any instance may answer any request (state is in Cosmos DB): no sticky sessions.
    clientAffinityEnabled: false
    keyVaultReferenceIdentity: identity.id
    siteConfig: {
      linuxFxVersion: 'NODE|20-lts'
      // The compiled app (what `npm run start:prod` runs), started by node itself: through npm, the
      // platform's SIGTERM stops npm's shell and never reaches node, so there is no graceful shutdown.
      appCommandLine: 'node dist/main.js'
      alwaysOn: true
      // 503 while the store does not answer: App Service takes the instance out of rotation.
      healthCheckPath: '/readyz'
      minTlsVersion: '1.2'
      scmMinTlsVersion: '1.2'
      ftpsState: 'Disabled'
      http20Enabled: true
      // Names and meanings: docs/operations.md#configuration; checked by test/deploy/infra.test.ts.
      appSettings: [
        {
          name: 'STORE'
          value: 'cosmos'
        }
        {
          name: 'COSMOS_ENDPOINT'
          value: cosmos.properties.documentEndpoint
        }
        {
          name: 'COSMOS_DATABASE'
          value: cosmosDatabase.name
        }
        {
          name: 'COSMOS_CONTAINER'
          value: cosmosContainer.name
        }
        {
          // Keyless: the data-plane role cannot create the database or container (made above).
          name: 'COSMOS_CREATE_IF_MISSING'
          value: 'false'
        }
        {
          name: 'COSMOS_PREFERRED_REGIONS'
          value: 'Norway East'
        }
        {
          name: 'MicrosoftAppType'
          value: 'UserAssignedMSI'
        }
        {
          name: 'MicrosoftAppId'
          value: identity.properties.clientId
        }
        {
          name: 'MicrosoftAppTenantId'
          value: tenantId
        }
        {
          // Read by @azure/identity (DefaultAzureCredential), not by the app: which of the identities to use for Cosmos DB.
          name: 'AZURE_CLIENT_ID'
          value: identity.properties.clientId
        }
        {
          name: 'PUBLIC_BASE_URL'
          value: 'https://${hostName}'
        }
        {
          // The tab's own app registration (made by hand; docs/deploy.md, step 1): the bot is the managed
          // identity, which cannot expose the API Teams' SSO asks a token for. The app takes its tokens
          // (v2: this client id; v1: api://<PUBLIC_BASE_URL's host>/<this client id>) and no others.
          // Empty until it exists: the tab then signs nobody in; the bot's chat and cards work.
          name: 'TAB_SSO_CLIENT_ID'
          value: tabSsoClientId
        }
        {
          name: 'TEAMS_APP_ID'
          value: teamsAppId
        }
        {
          name: 'ADMIN_AAD_IDS'
          value: adminAadIds
        }
        {
          name: 'NUDGE_RUN_KEY'
          value: '@Microsoft.KeyVault(SecretUri=${nudgeRunKeySecret.properties.secretUri})'
        }
        {
          name: 'APPLICATIONINSIGHTS_CONNECTION_STRING'
          value: appInsights.properties.ConnectionString
        }
        {
          name: 'LOG_LEVEL'
          value: 'info'
        }
        {
          // Zip deploy builds on App Service (Oryx) ...
          name: 'SCM_DO_BUILD_DURING_DEPLOYMENT'
          value: 'true'
        }
        {
          // ... by installing the runtime dependencies from the lockfile, instead of npm install + npm run build
          // (the zip holds dist/ already built, and no TypeScript sources).
          name: 'CUSTOM_BUILD_COMMAND'
          value: 'npm ci --omit=dev'
        }
        {
          // Out of rotation after two failed /readyz checks a minute apart (the platform's default is ten).
          name: 'WEBSITE_HEALTHCHECK_MAXPINGFAILURES'
          value: '2'
        }
      ]
    }
  }
}

// No deployment with a publishing password: az webapp deploy signs in with Entra ID.
resource scmBasicAuth 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2024-04-01' = {
  parent: app
  name: 'scm'
  properties: {
    allow: false
  }
}

resource ftpBasicAuth 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2024-04-01' = {
  parent: app
  name: 'ftp'
  properties: {
    allow: false
  }
}

// The app's JSON log lines (stdout) and the HTTP log go to the workspace.
resource appDiagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'to-log-analytics'
  scope: app
  properties: {
    workspaceId: logs.id
    logs: [
      {
        category: 'AppServiceConsoleLogs'
        enabled: true
      }
      {
        category: 'AppServiceHTTPLogs'
        enabled: true
      }
      {
        category: 'AppServicePlatformLogs'
        enabled: true
      }
    ]
  }
}

// ── Azure Bot ───────────────────────────────────────────────────────────────────────────────────

resource bot 'Microsoft.BotService/botServices@2022-09-15' = {
  name: 'bot-${name}-${suffix}'
  location: 'global'
  kind: 'azurebot'
  sku: {
    name: 'F0'
  }
  properties: {
    displayName: 'Samhandling'
    endpoint: 'https://${hostName}/api/messages'
    // Single tenant, signed in as the managed identity: no app secret to keep or rotate.
    msaAppType: 'UserAssignedMSI'
    msaAppId: identity.properties.clientId
    msaAppMSIResourceId: identity.id
    msaAppTenantId: tenantId
  }
}

// Only Teams: identity comes from Teams alone (no Web Chat or Direct Line). Azure adds a Web Chat
// channel to a new bot by itself; docs/deploy.md removes it after the first deployment.
resource teamsChannel 'Microsoft.BotService/botServices/channels@2022-09-15' = {
  parent: bot
  name: 'MsTeamsChannel'
  location: 'global'
  properties: {
    channelName: 'MsTeamsChannel'
    properties: {
      isEnabled: true
      enableCalling: false
    }
  }
}

// ── For the runbook ─────────────────────────────────────────────────────────────────────────────

output webAppName string = app.name
output publicBaseUrl string = 'https://${hostName}'
output botDomain string = hostName
output botName string = bot.name
@description('MicrosoftAppId for npm run package: the managed identity\'s client id.')
output microsoftAppId string = identity.properties.clientId
output cosmosEndpoint string = cosmos.properties.documentEndpoint
output keyVaultName string = vault.name
