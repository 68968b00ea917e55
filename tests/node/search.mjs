// Drives a running mock server with the AWS SDK for JavaScript v3: an AND search and a search read in
// two pages. Usage: node search.mjs ENDPOINT_URL DOMAIN. Prints one JSON document with what came back.
import { CustomerProfilesClient, SearchProfilesCommand } from "@aws-sdk/client-customer-profiles";

const [endpoint, domain] = process.argv.slice(2);
const client = new CustomerProfilesClient({
  region: "us-east-1",
  endpoint,
  credentials: { accessKeyId: "testing", secretAccessKey: "testing" },
});

const and = await client.send(
  new SearchProfilesCommand({
    DomainName: domain,
    KeyName: "_email",
    Values: ["ana@example.com"],
    AdditionalSearchKeys: [{ KeyName: "_phone", Values: ["+15550001111"] }],
    LogicalOperator: "AND",
  }),
);

const pages = [];
let NextToken;
do {
  const page = await client.send(
    new SearchProfilesCommand({ DomainName: domain, KeyName: "_account", Values: ["ACC-1"], MaxResults: 3, NextToken }),
  );
  pages.push({ ids: page.Items.map((item) => item.ProfileId), hasNextToken: page.NextToken !== undefined });
  NextToken = page.NextToken;
} while (NextToken !== undefined && pages.length < 10);

let notFound;
try {
  await client.send(new SearchProfilesCommand({ DomainName: "nowhere", KeyName: "_email", Values: ["x"] }));
} catch (error) {
  notFound = { name: error.name, message: error.message, status: error.$metadata.httpStatusCode };
}

console.log(JSON.stringify({ and: and.Items, pages, notFound }));
