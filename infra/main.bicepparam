// An example for one environment: copy it (e.g. to infra/prod.bicepparam), adjust, and deploy with
//   NUDGE_RUN_KEY=$(openssl rand -base64 48) ADMIN_AAD_IDS=<your Entra object id> \
//     az deployment group create -g rg-samhandling-prod -f infra/main.bicep -p infra/main.bicepparam
// The run key and the first admins come from the shell, so neither is written into the repository.
using './main.bicep'

param name = 'samhandling-prod'

param adminAadIds = readEnvironmentVariable('ADMIN_AAD_IDS')

param nudgeRunKey = readEnvironmentVariable('NUDGE_RUN_KEY')

// A custom domain bound to the web app (then BOT_DOMAIN for npm run package); empty: <app>.azurewebsites.net.
param publicHostName = ''

// The tab's own app registration (docs/deploy.md, step 2); empty until it is made.
param tabSsoClientId = ''

param instanceCount = 2
